import { expect } from 'chai';
import { stackedBars, xyChart } from '../../load-tests/report/charts.ts';
import { cpuChart, distributionChart, kneeChart } from '../../load-tests/bench/charts.ts';
import type { LevelResult } from '../../load-tests/bench/throughput.ts';
import type { CpuShare } from '../../load-tests/bench/cpu.ts';

/** Throws unless every tag is closed in order (a well-formed XML fragment) and one <svg> is there. */
function checkWellFormed(html: string): void {
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][\w-]*)([^>]*?)(\/?)>/g)) {
    const [, closing, name, attrs, selfClosing] = m;
    expect(attrs, `attributes of <${name}>`).not.to.match(/NaN|undefined|Infinity/);
    if (selfClosing) continue;
    if (closing) expect(stack.pop(), `closing </${name}>`).to.equal(name);
    else stack.push(name!);
  }
  expect(stack, 'unclosed tags').to.deep.equal([]);
  expect(html.match(/<svg /g)).to.have.length(1);
}

/** Every drawn point (polyline vertices, circles) as [x, y]. */
function drawnPoints(svg: string): Array<[number, number]> {
  const pts: Array<[number, number]> = [];
  for (const m of svg.matchAll(/points="([^"]*)"/g)) for (const xy of m[1]!.trim().split(/\s+/)) pts.push(xy.split(',').map(Number) as [number, number]);
  for (const m of svg.matchAll(/<circle cx="([^"]+)" cy="([^"]+)"/g)) pts.push([Number(m[1]), Number(m[2])]);
  return pts;
}

const size = (svg: string) => {
  const m = /<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg)!;
  return { w: Number(m[1]), h: Number(m[2]) };
};

function expectInside(svg: string): void {
  const { w, h } = size(svg);
  const pts = drawnPoints(svg);
  for (const [x, y] of pts) {
    expect(x).to.be.within(0, w);
    expect(y).to.be.within(0, h);
  }
}

const cpu = (over: Partial<CpuShare> = {}): CpuShare => ({ serverPct: 80, mainPct: 50, writerPct: 25, otherPct: 5, mainQueuedPct: 10, writerQueuedPct: 5, writerBusyPct: 40, botsPct: 30, ...over });

function level(offered: number, p50: number, curve: Array<[number, number]>): LevelResult {
  return {
    offeredPerSecond: offered, ackedPerSecond: offered * 0.86, curve, cpu: cpu(),
    betAck: { count: 1000, meanMs: p50, p50Ms: p50, p90Ms: p50 * 2, p95Ms: p50 * 3, p99Ms: p50 * 5, p999Ms: p50 * 8, maxMs: p50 * 10 },
  };
}

describe('benchmark charts (inline SVG)', () => {
  it('draws a line per series, every point inside the picture, on log and nines axes', () => {
    const svg = xyChart({
      title: 'latency', xLabel: 'percentile', yLabel: 'ms', x: 'nines', y: 'log',
      series: [{ name: 'a', color: '#000', points: [[0, 0.4], [50, 2], [99, 40], [99.999, 900], [100, 1200]] }, { name: 'b', color: '#f00', points: [[0, 1], [100, 3]] }],
    });
    checkWellFormed(svg);
    expect(svg.match(/<polyline /g)).to.have.length(2);
    expect(drawnPoints(svg)).to.have.length(14);
    expectInside(svg);
  });

  it('orders the nines axis: p99 right of p90, p99.9 right of p99, the maximum last', () => {
    const svg = xyChart({ title: 't', xLabel: 'x', yLabel: 'y', x: 'nines', y: 'linear', series: [{ name: 'a', color: '#000', points: [[90, 1], [99, 1], [99.9, 1], [100, 1]] }] });
    const xs = drawnPoints(svg).slice(0, 4).map((p) => p[0]);
    expect(xs).to.deep.equal([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).to.equal(4);
  });

  it('spans at most four decades on a log axis, so near-zero values do not squash the others', () => {
    const svg = xyChart({ title: 't', xLabel: 'x', yLabel: 'ms', x: 'linear', y: 'log', series: [{ name: 'a', color: '#000', points: [[0, 0.0001], [1, 5], [2, 800]] }] });
    const labels = [...svg.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1]);
    expect(labels).to.deep.equal(['0.1', '1', '10', '100', '1k']);
    expectInside(svg);
  });

  it('says there is no data, with no broken coordinates, when every series is empty', () => {
    for (const svg of [
      xyChart({ title: 'empty', xLabel: 'x', yLabel: 'y', x: 'linear', y: 'log', series: [{ name: 'a', color: '#000', points: [] }] }),
      distributionChart('no levels', []),
      kneeChart([]),
      stackedBars({ title: 'none', yLabel: '%', categories: [], stacks: [] }),
    ]) {
      checkWellFormed(svg);
      expect(svg).to.include('no data');
      expect(drawnPoints(svg)).to.deep.equal([]);
    }
  });

  it('draws the knee from the levels that have measurements and leaves out those that have none', () => {
    const empty: LevelResult = { ...level(9600, 1, []), betAck: null };
    const svg = kneeChart([level(600, 1, []), level(1200, 2, []), level(2400, 5, []), empty]);
    checkWellFormed(svg);
    expect(svg.match(/<polyline /g)).to.have.length(4);
    expect(drawnPoints(svg)).to.have.length(4 * 3 * 2);
    expectInside(svg);
    expect(svg).to.include('>p99<').and.include('>max<');
  });

  it('draws one distribution per level, an empty level adding no line', () => {
    const svg = distributionChart('per level', [{ name: '600/s', curve: [[0, 0.5], [99, 8], [100, 20]] }, { name: '9.6k/s', curve: [] }]);
    checkWellFormed(svg);
    expect(svg.match(/<polyline /g)).to.have.length(1);
    expect(svg).to.include('9.6k/s');
    expectInside(svg);
  });

  it('stacks the CPU of the server threads and the bots under the machine limit, a missing thread figure drawn as nothing', () => {
    const svg = cpuChart('cpu', [{ name: '600/s', cpu: cpu() }, { name: 'echo', cpu: cpu({ mainPct: null, writerPct: null, otherPct: null }) }], 2);
    checkWellFormed(svg);
    expect(svg.match(/<rect [^>]*height=/g)!.length).to.equal(4 + 1 + 4);
    expect(svg).to.include('2 cores').and.include('store writer thread');
    const { h } = size(svg);
    for (const m of svg.matchAll(/<rect x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)"/g)) {
      expect(Number(m[1])).to.be.within(0, h);
      expect(Number(m[1]) + Number(m[2])).to.be.at.most(h);
    }
  });
});
