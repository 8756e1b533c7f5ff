/**
 * Pure checks made at start-up: is the deployment one that supports what the adapter needs
 * (multi-document transactions need a replica set or a sharded cluster; snapshot reads need
 * MongoDB 5.0), which database to use, and how to name the URL in logs without credentials.
 */
import { StoreError } from '../types.ts';

/** MongoDB 5.0: snapshot reads outside transactions (reconciliation reads one point in time). */
export const MIN_WIRE_VERSION = 13;
export const MIN_SERVER_VERSION = '5.0';
export const DEFAULT_DB_NAME = 'casino';

export interface HelloReply {
  setName?: unknown;
  msg?: unknown;
  maxWireVersion?: unknown;
}

/** Why this deployment cannot host the store, or null when it can. */
export function deploymentProblem(hello: HelloReply): StoreError | null {
  const replicaSet = typeof hello.setName === 'string' && hello.setName.length > 0;
  const sharded = hello.msg === 'isdbgrid';
  if (!replicaSet && !sharded) {
    return new StoreError(
      'store/replica_set_required',
      'MongoDB transactions need a replica set; start mongod with --replSet rs0 and run rs.initiate() once ' +
        '(a single-node replica set is enough for development; see docs/OPERATIONS.md, "Running against MongoDB")',
    );
  }
  const wire = typeof hello.maxWireVersion === 'number' ? hello.maxWireVersion : 0;
  if (wire < MIN_WIRE_VERSION) {
    return new StoreError(
      'store/unsupported_version',
      `MongoDB ${MIN_SERVER_VERSION} or newer is required (the server speaks wire version ${wire}, ${MIN_SERVER_VERSION} is ${MIN_WIRE_VERSION})`,
    );
  }
  return null;
}

/** The URL with any user:password replaced, for logs and error messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/** The database named in the URL's path (`mongodb://host/casino?…`), or null when there is none. */
export function dbNameFromUrl(url: string): string | null {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(url);
  if (!match || match[1] === '') return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1]!;
  }
}

/** Database names MongoDB accepts (no `/\. "$*<>:|?`, no NUL, under 64 bytes). */
export function checkDbName(name: string): string {
  if (typeof name !== 'string' || name.length === 0 || Buffer.byteLength(name) > 63 || /[/\\. "$*<>:|?\0]/.test(name)) {
    throw new StoreError('store/invalid_argument', `invalid MongoDB database name ${JSON.stringify(name)}`);
  }
  return name;
}

/** The database to use: explicit option, else the URL's path, else `casino`. */
export function chooseDbName(url: string, explicit?: string): string {
  return checkDbName(explicit ?? dbNameFromUrl(url) ?? DEFAULT_DB_NAME);
}
