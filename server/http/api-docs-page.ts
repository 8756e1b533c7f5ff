/**
 * The OpenAPI document as one self-contained HTML page (`GET /docs/api`): every operation by tag,
 * with its auth, parameters, body and responses, and every component schema. Rendered on the
 * server from the document itself, without scripts (the CSP forbids inline code and nothing can be
 * fetched from elsewhere); the stylesheet is `GET /docs/api.css`. `<details>` folds operations.
 */

type Json = Record<string, unknown>;

interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  'x-auth': string;
  parameters: Array<{ name: string; in: string; required: boolean; description?: string; schema: Json }>;
  requestBody?: { required: boolean; content: Record<string, { schema: Json }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Json }>; 'x-error-codes'?: string[] }>;
}

const AUTH_TEXT: Record<string, string> = {
  none: 'public',
  player: 'player token',
  operator: 'operator or admin token',
  admin: 'admin token',
  metrics: 'METRICS_TOKEN or operator token',
  webhook: 'PSP signature',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Escapes, then renders `code` spans: the only markup the document's texts use. */
function text(s: string): string {
  return escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function schemaHtml(schema: Json | undefined): string {
  if (!schema || Object.keys(schema).length === 0) return '<span class="muted">any</span>';
  const ref = schema.$ref;
  if (typeof ref === 'string' && Object.keys(schema).length === 1) {
    const name = ref.split('/').pop()!;
    return `<a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`;
  }
  return `<pre>${linkRefs(escapeHtml(JSON.stringify(schema, null, 2)))}</pre>`;
}

/** `"$ref": "#/components/schemas/X"` in a printed schema becomes a link to X. */
function linkRefs(printed: string): string {
  return printed.replace(/&quot;#\/components\/schemas\/([A-Za-z0-9_]+)&quot;/g, (_m, name: string) => `&quot;<a href="#schema-${name}">#/components/schemas/${name}</a>&quot;`);
}

/** A named schema shown where it is used: its name (a link) and its JSON. */
function expanded(schema: Json | undefined, schemas: Record<string, Json>): string {
  const ref = schema?.$ref;
  if (typeof ref !== 'string') return schemaHtml(schema);
  const target = schemas[ref.split('/').pop()!];
  return `${schemaHtml(schema)}${target ? schemaHtml(target) : ''}`;
}

function operationHtml(method: string, path: string, op: Operation, schemas: Record<string, Json>): string {
  const params = op.parameters.length === 0 ? '' : `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr></thead><tbody>${
    op.parameters.map((p) => `<tr><td><code>${escapeHtml(p.name)}</code>${p.description ? `<br>${text(p.description)}` : ''}</td><td>${escapeHtml(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td>${schemaHtml(p.schema)}</td></tr>`).join('')
  }</tbody></table>`;
  const body = op.requestBody
    ? `<h4>Body${op.requestBody.required ? '' : ' (optional)'}</h4>${Object.entries(op.requestBody.content).map(([media, c]) => `<div><code>${escapeHtml(media)}</code> ${expanded(c.schema, schemas)}</div>`).join('')}`
    : '';
  const responses = `<h4>Responses</h4><table><thead><tr><th>status</th><th>what</th><th>body</th></tr></thead><tbody>${
    Object.entries(op.responses).map(([status, r]) => {
      const content = Object.entries(r.content ?? {});
      const shown = r['x-error-codes'] ? '<a href="#schema-ErrorBody">ErrorBody</a>' : content.map(([media, c]) => media === 'application/json' ? expanded(c.schema, schemas) : `<code>${escapeHtml(media)}</code>`).join(' ');
      return `<tr class="${Number(status) >= 400 ? 'err' : 'ok'}"><td>${escapeHtml(status)}</td><td>${text(r.description)}</td><td>${shown}</td></tr>`;
    }).join('')
  }</tbody></table>`;
  return `<details id="${escapeHtml(op.operationId)}"><summary><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code class="path">${escapeHtml(path)}</code> <span class="summary">${text(op.summary)}</span> <span class="auth">${escapeHtml(AUTH_TEXT[op['x-auth']] ?? op['x-auth'])}</span></summary>`
    + `<div class="op">${op.description ? `<p>${text(op.description)}</p>` : ''}${params}${body}${responses}</div></details>`;
}

export function renderApiPage(doc: Json): string {
  const info = doc.info as { title: string; version: string; description: string };
  const tags = doc.tags as Array<{ name: string; description: string }>;
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
  const ops = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  const sections = tags.map((tag) => {
    const mine = ops.filter((o) => o.op.tags.includes(tag.name));
    return `<section id="tag-${escapeHtml(tag.name)}"><h2>${escapeHtml(tag.name)}</h2><p>${text(tag.description)}</p>${mine.map((o) => operationHtml(o.method, o.path, o.op, schemas)).join('\n')}</section>`;
  });
  const nav = tags.map((t) => `<a href="#tag-${escapeHtml(t.name)}">${escapeHtml(t.name)}</a>`).join(' · ');
  const components = Object.entries(schemas).map(([name, s]) => `<section class="schema" id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3>${schemaHtml(s as Json)}</section>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)}</title><link rel="stylesheet" href="/docs/api.css"></head>
<body><header><h1>${escapeHtml(info.title)}</h1><p>OpenAPI ${escapeHtml(String(doc.openapi))} · version ${escapeHtml(info.version)} · ${ops.length} operations · <a href="/openapi.json">openapi.json</a></p>
${info.description.split('\n\n').map((p) => `<p>${text(p)}</p>`).join('')}<nav>${nav} · <a href="#schemas">schemas</a></nav></header>
<main>${sections.join('\n')}<section id="schemas"><h2>schemas</h2>${components.join('\n')}</section></main></body></html>`;
}

export const API_PAGE_CSS = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1rem; color: #1c1c1c; background: #fafafa; }
h1 { margin-bottom: 0.2rem; } h2 { border-bottom: 1px solid #ccc; margin-top: 2rem; text-transform: capitalize; }
nav a, a { color: #0b57a4; } code { font: 13px ui-monospace, monospace; background: #eee; padding: 0 0.2em; border-radius: 3px; }
details { border: 1px solid #ddd; border-radius: 6px; margin: 0.4rem 0; background: #fff; }
summary { cursor: pointer; padding: 0.4rem 0.6rem; display: flex; gap: 0.6rem; align-items: baseline; flex-wrap: wrap; }
.method { font-weight: 700; font-size: 12px; min-width: 3.5em; text-align: center; border-radius: 3px; padding: 0.1em 0.4em; color: #fff; background: #555; }
.method.get { background: #1f7a3d; } .method.post { background: #0b57a4; } .method.put, .method.patch { background: #8a5a00; } .method.delete { background: #a4161a; }
.path { background: none; font-weight: 600; } .summary { flex: 1; } .auth { font-size: 12px; color: #555; border: 1px solid #bbb; border-radius: 10px; padding: 0 0.5em; }
.op { padding: 0 0.8rem 0.8rem; } table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; border-top: 1px solid #eee; padding: 0.3rem; }
tr.err td:first-child { color: #a4161a; } tr.ok td:first-child { color: #1f7a3d; font-weight: 600; }
pre { margin: 0; font: 12px/1.35 ui-monospace, monospace; background: #f3f3f3; padding: 0.4rem; overflow-x: auto; max-height: 28rem; }
.muted { color: #777; } .schema h3 { margin-bottom: 0.3rem; }
`;
