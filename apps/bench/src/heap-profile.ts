/*
 * What an idle connection keeps alive on the heap, per system: a V8 heap snapshot of the server
 * before and after N idle authenticated sockets connect, the objects that appeared in between
 * grouped by constructor (plain objects by their first property names) and by what holds them,
 * divided by N. The servers are unchanged: the probe preloaded into them writes the snapshots.
 *
 *   npx nx run bench:build && node apps/bench/dist/heap-profile.js [--connections 2000]
 *     [--systems parley,baseline] [--patch plain-socket-listeners] [--out DIR --keep]
 */
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LoadGenerator } from './load-generator';
import { log } from './log';
import { BaselineSystem, ParleySystem, type SystemName, type SystemUnderTest } from './systems';

interface HeapSnapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** A heap snapshot is JSON, but too big for one string: read it as a buffer and parse that. */
async function readSnapshot(path: string): Promise<HeapSnapshot> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path)) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as HeapSnapshot;
}

interface Group {
  count: number;
  bytes: number;
  /** Bytes by the group of the object holding them (first strong retainer). */
  holders: Map<string, number>;
}

/** Objects of `after` that `before` did not have, grouped; sizes are self sizes. */
function newObjects(before: HeapSnapshot, after: HeapSnapshot): Map<string, Group> {
  const meta = after.snapshot.meta;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const typeField = meta.node_fields.indexOf('type');
  const nameField = meta.node_fields.indexOf('name');
  const idField = meta.node_fields.indexOf('id');
  const sizeField = meta.node_fields.indexOf('self_size');
  const edgeCountField = meta.node_fields.indexOf('edge_count');
  const edgeTypeField = meta.edge_fields.indexOf('type');
  const edgeNameField = meta.edge_fields.indexOf('name_or_index');
  const edgeToField = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const { nodes, edges, strings } = after;

  const oldIds = new Set<number>();
  const beforeFields = before.snapshot.meta.node_fields.length;
  const beforeId = before.snapshot.meta.node_fields.indexOf('id');
  for (let i = 0; i < before.nodes.length; i += beforeFields)
    oldIds.add(before.nodes[i + beforeId]);

  const nodeCount = nodes.length / nodeFields;
  const firstEdge = new Int32Array(nodeCount + 1);
  for (let n = 0, e = 0; n < nodeCount; n++) {
    firstEdge[n] = e;
    e += nodes[n * nodeFields + edgeCountField] * edgeFields;
  }
  firstEdge[nodeCount] = edges.length;

  const label = (n: number): string => {
    const type = nodeTypes[nodes[n * nodeFields + typeField]] ?? '?';
    const name = strings[nodes[n * nodeFields + nameField]] ?? '';
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string')
      return '(string)';
    if (type === 'number') return '(heap number)';
    if (type === 'closure') return `closure ${name || '(anonymous)'}`;
    if (type === 'array') return `(array ${name})`;
    if (type === 'object' && name === 'Object') {
      // A plain object says what it is by its property names.
      const names: string[] = [];
      for (let e = firstEdge[n]; e < firstEdge[n + 1] && names.length < 5; e += edgeFields) {
        if (edgeTypes[edges[e + edgeTypeField]] === 'property')
          names.push(strings[edges[e + edgeNameField]] ?? '');
      }
      return `Object {${names.join(', ')}}`;
    }
    return `${type === 'object' ? '' : `(${type}) `}${name}`;
  };

  // The first strong retainer of every new object, to say who holds it.
  const holder = new Int32Array(nodeCount).fill(-1);
  for (let n = 0; n < nodeCount; n++) {
    for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += edgeFields) {
      const edgeType = edgeTypes[edges[e + edgeTypeField]];
      if (edgeType === 'weak' || edgeType === 'shortcut') continue;
      const to = edges[e + edgeToField] / nodeFields;
      if (holder[to] === -1) holder[to] = n;
    }
  }

  const groups = new Map<string, Group>();
  for (let n = 0; n < nodeCount; n++) {
    if (oldIds.has(nodes[n * nodeFields + idField])) continue;
    const key = label(n);
    const bytes = nodes[n * nodeFields + sizeField];
    let group = groups.get(key);
    if (!group) {
      group = { count: 0, bytes: 0, holders: new Map() };
      groups.set(key, group);
    }
    group.count += 1;
    group.bytes += bytes;
    const by = holder[n] === -1 ? '(root)' : label(holder[n]);
    group.holders.set(by, (group.holders.get(by) ?? 0) + bytes);
  }
  return groups;
}

function report(name: SystemName, groups: Map<string, Group>, connections: number, top: number) {
  const total = [...groups.values()].reduce((sum, group) => sum + group.bytes, 0);
  console.log(
    `\n${name}: ${(total / connections / 1024).toFixed(1)} KiB of new objects per idle connection (${connections} connections)`,
  );
  const rows = [...groups.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top);
  for (const [key, group] of rows) {
    const holders = [...group.holders.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 2)
      .map(([by, bytes]) => `${by} ${Math.round((100 * bytes) / group.bytes)}%`)
      .join('; ');
    console.log(
      `${String(Math.round(group.bytes / connections)).padStart(7)} B ${(group.count / connections).toFixed(2).padStart(7)}×  ${key.slice(0, 70).padEnd(70)} held by ${holders}`,
    );
  }
  return total / connections;
}

async function profile(
  name: SystemName,
  connections: number,
  users: number,
  outDir: string,
  top: number,
  patches: string[],
): Promise<number> {
  const system: SystemUnderTest =
    name === 'baseline'
      ? await BaselineSystem.start()
      : await ParleySystem.start({
          preload: patches.map((patch) => join(__dirname, 'patches', `${patch}.js`)),
        });
  const generators: LoadGenerator[] = [];
  try {
    const tokens = await system.tokens(users);
    // One warm-up connection, so what only the first socket creates (lazy modules, caches) is not counted.
    const warmup = LoadGenerator.start(`${name} heap warm-up`);
    generators.push(warmup);
    await warmup.connect(system.url, [{ token: tokens[0] ?? '' }]);
    const before = await system.heapSnapshot(join(outDir, `${name}-before.heapsnapshot`));
    for (let connected = 0; connected < connections; connected += 9000) {
      const count = Math.min(9000, connections - connected);
      const generator = LoadGenerator.start(`${name} heap generator ${generators.length}`);
      generators.push(generator);
      await generator.connect(
        system.url,
        Array.from({ length: count }, (_, index) => ({
          token: tokens[(connected + index) % tokens.length] ?? '',
        })),
      );
    }
    const after = await system.heapSnapshot(join(outDir, `${name}-after.heapsnapshot`));
    log(`${name}: snapshots ${before} (${(await stat(before)).size >> 20} MiB), ${after}`);
    const groups = newObjects(await readSnapshot(before), await readSnapshot(after));
    return report(name, groups, connections, top);
  } finally {
    await Promise.all(generators.map((generator) => generator.stop()));
    await system.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '2000' },
      users: { type: 'string', default: '100' },
      systems: { type: 'string', default: 'parley,baseline' },
      out: { type: 'string' },
      top: { type: 'string', default: '25' },
      keep: { type: 'boolean', default: false },
      /** Experiments preloaded into Parley (src/patches/<name>.ts), comma separated. */
      patch: { type: 'string', default: '' },
    },
    strict: true,
  });
  const connections = Number(values.connections);
  const outDir = values.out ?? join(tmpdir(), `parley-heap-${Date.now()}`);
  await mkdir(outDir, { recursive: true });
  const perConnection: Partial<Record<SystemName, number>> = {};
  try {
    for (const name of values.systems.split(',') as SystemName[]) {
      perConnection[name] = await profile(
        name,
        connections,
        Number(values.users),
        outDir,
        Number(values.top),
        values.patch.split(',').filter((patch) => patch !== ''),
      );
    }
  } finally {
    if (!values.keep) await rm(outDir, { recursive: true, force: true });
  }
  if (perConnection.parley !== undefined && perConnection.baseline !== undefined) {
    console.log(
      `\nParley − baseline: ${((perConnection.parley - perConnection.baseline) / 1024).toFixed(1)} KiB of new objects per idle connection`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
