// Adds a diagram (BPMN DI) to a model written without one, so that Camunda Modeler opens it
// readable: `node scripts/layout-bpmn.js source.bpmn target.bpmn`. The shipped processes are
// kept in their laid-out form; run this when a process is written by hand, then adjust the
// drawing in the Modeler where it helps.
//
// A layered drawing, left to right: flows that lead back (loops) are set aside, every node is
// placed in the column after its furthest predecessor, rows are ordered to keep flows short
// (barycentre sweeps), forward flows are drawn with right angles between columns and loops run
// back below the drawing. Expanded subprocesses are laid out inside their own box. Labels are
// left to the Modeler, which places them beside their elements.
const { readFile, writeFile } = require('node:fs/promises');

const SIZES = {
  event: { width: 36, height: 36 },
  gateway: { width: 50, height: 50 },
  activity: { width: 100, height: 80 },
};
const COLUMN_GAP = 60;
const ROW_HEIGHT = 130;
const LOOP_SPACING = 14;
const PADDING = 40;

/** @param {string} type */
function kindOf(type) {
  if (/Event$/.test(type)) return 'event';
  if (/Gateway$/.test(type)) return 'gateway';
  return 'activity';
}

/**
 * Lays out the flow elements of a process or subprocess; answers its shapes, edges and size.
 * @param {any} container
 * @param {number} originX
 * @param {number} originY
 */
function layoutContainer(container, originX, originY) {
  const elements = container.flowElements ?? [];
  const nodes = elements.filter((/** @type {any} */ element) => element.$type !== 'bpmn:SequenceFlow' && !element.$type.endsWith('DataObject'));
  const flows = elements.filter((/** @type {any} */ element) => element.$type === 'bpmn:SequenceFlow');
  /** @type {Map<string, any[]>} */
  const outgoing = new Map(nodes.map((/** @type {any} */ node) => [node.id, []]));
  for (const flow of flows) outgoing.get(flow.sourceRef.id)?.push(flow);

  // Loops: flows into a node still on the depth-first path. Starts first, then anything unvisited.
  /** @type {Set<any>} */
  const back = new Set();
  /** @type {Map<string, number>} */
  const state = new Map();
  /** @type {string[]} */
  const discovery = [];
  /** @param {string} id */
  const visit = (id) => {
    state.set(id, 1);
    discovery.push(id);
    for (const flow of outgoing.get(id) ?? []) {
      const target = flow.targetRef.id;
      if (state.get(target) === 1) back.add(flow);
      else if (!state.has(target)) visit(target);
    }
    state.set(id, 2);
  };
  const starts = nodes.filter((/** @type {any} */ node) => node.$type === 'bpmn:StartEvent');
  for (const node of [...starts, ...nodes]) if (!state.has(node.id)) visit(node.id);

  // Columns: the longest forward path to each node.
  /** @type {Map<string, number>} */
  const column = new Map(nodes.map((/** @type {any} */ node) => [node.id, 0]));
  for (let changed = true, rounds = 0; changed && rounds < nodes.length + 1; rounds++) {
    changed = false;
    for (const flow of flows) {
      if (back.has(flow)) continue;
      const next = (column.get(flow.sourceRef.id) ?? 0) + 1;
      if (next > (column.get(flow.targetRef.id) ?? 0)) {
        column.set(flow.targetRef.id, next);
        changed = true;
      }
    }
  }

  // Rows: discovery order, then barycentre sweeps over the forward flows.
  /** @type {Map<number, string[]>} */
  const columns = new Map();
  for (const id of discovery) {
    const c = column.get(id) ?? 0;
    columns.set(c, [...(columns.get(c) ?? []), id]);
  }
  const columnCount = Math.max(0, ...columns.keys()) + 1;
  /** @type {Map<string, number>} */
  const row = new Map();
  const assignRows = () => columns.forEach((ids) => ids.forEach((id, index) => row.set(id, index)));
  assignRows();
  /** @type {Map<string, string[]>} */
  const predecessors = new Map();
  /** @type {Map<string, string[]>} */
  const successors = new Map();
  for (const flow of flows) {
    if (back.has(flow)) continue;
    predecessors.set(flow.targetRef.id, [...(predecessors.get(flow.targetRef.id) ?? []), flow.sourceRef.id]);
    successors.set(flow.sourceRef.id, [...(successors.get(flow.sourceRef.id) ?? []), flow.targetRef.id]);
  }
  for (let sweep = 0; sweep < 8; sweep++) {
    const forward = sweep % 2 === 0;
    for (let step = 0; step < columnCount; step++) {
      const c = forward ? step : columnCount - 1 - step;
      const ids = columns.get(c);
      if (!ids) continue;
      const neighbours = forward ? predecessors : successors;
      const weight = (/** @type {string} */ id) => {
        const around = neighbours.get(id) ?? [];
        return around.length === 0 ? (row.get(id) ?? 0) : around.reduce((sum, other) => sum + (row.get(other) ?? 0), 0) / around.length;
      };
      const weights = new Map(ids.map((id) => [id, weight(id)]));
      ids.sort((a, b) => (weights.get(a) ?? 0) - (weights.get(b) ?? 0));
      ids.forEach((id, index) => row.set(id, index));
    }
  }

  // Nested subprocesses first: their size sets their column's width and their row's height.
  /** @type {Map<string, { width: number; height: number }>} */
  const sizes = new Map();
  /** @type {Map<string, any>} */
  const inner = new Map();
  for (const node of nodes) {
    if (node.$type === 'bpmn:SubProcess' && node.flowElements?.length) {
      const laid = layoutContainer(node, 0, 0);
      inner.set(node.id, laid);
      sizes.set(node.id, { width: laid.width, height: laid.height });
    } else {
      sizes.set(node.id, SIZES[kindOf(node.$type)]);
    }
  }
  const columnWidth = Array.from({ length: columnCount }, (_, c) => Math.max(...(columns.get(c) ?? []).map((id) => sizes.get(id)?.width ?? 100), 36));
  const rowCount = Math.max(1, ...[...columns.values()].map((ids) => ids.length));
  const rowHeight = Array.from({ length: rowCount }, (_, r) => Math.max(ROW_HEIGHT, ...nodes.filter((/** @type {any} */ node) => row.get(node.id) === r).map((/** @type {any} */ node) => (sizes.get(node.id)?.height ?? 80) + 50)));
  const columnX = columnWidth.map((_, c) => originX + PADDING + columnWidth.slice(0, c).reduce((sum, width) => sum + width + COLUMN_GAP, 0));
  const rowY = rowHeight.map((_, r) => originY + PADDING + rowHeight.slice(0, r).reduce((sum, height) => sum + height, 0));

  /** @type {Map<string, { x: number; y: number; width: number; height: number }>} */
  const bounds = new Map();
  /** @type {string[]} */
  const shapes = [];
  /** @type {string[]} */
  const edges = [];
  for (const node of nodes) {
    const c = column.get(node.id) ?? 0;
    const r = row.get(node.id) ?? 0;
    const size = sizes.get(node.id) ?? SIZES.activity;
    const x = Math.round((columnX[c] ?? 0) + ((columnWidth[c] ?? 0) - size.width) / 2);
    // Every node of a row shares its centre line: flows along a row run straight.
    const y = Math.round((rowY[r] ?? 0) + ((rowHeight[r] ?? 0) - size.height) / 2);
    bounds.set(node.id, { x, y, width: size.width, height: size.height });
    const laid = inner.get(node.id);
    const extra = kindOf(node.$type) === 'gateway' && node.$type === 'bpmn:ExclusiveGateway' ? ' isMarkerVisible="true"' : laid ? ' isExpanded="true"' : '';
    shapes.push(`      <bpmndi:BPMNShape id="${node.id}_di" bpmnElement="${node.id}"${extra}>\n        <dc:Bounds x="${x}" y="${y}" width="${size.width}" height="${size.height}" />\n      </bpmndi:BPMNShape>`);
    if (laid) {
      const moved = laid.shift(x, y);
      shapes.push(...moved.shapes);
      edges.push(...moved.edges);
    }
  }
  const bottom = Math.max(...[...bounds.values()].map((box) => box.y + box.height));
  let loops = 0;
  for (const flow of flows) {
    const from = bounds.get(flow.sourceRef.id);
    const to = bounds.get(flow.targetRef.id);
    if (!from || !to) continue;
    /** @type {Array<[number, number]>} */
    let points;
    if (back.has(flow) || to.x <= from.x) {
      loops += 1;
      const below = bottom + 20 + loops * LOOP_SPACING;
      points = [
        [from.x + from.width / 2, from.y + from.height],
        [from.x + from.width / 2, below],
        [to.x + to.width / 2, below],
        [to.x + to.width / 2, to.y + to.height],
      ];
    } else {
      const sy = from.y + from.height / 2;
      const ty = to.y + to.height / 2;
      const sourceColumn = column.get(flow.sourceRef.id) ?? 0;
      const targetColumn = column.get(flow.targetRef.id) ?? 0;
      // The run along a row passes the columns between: turn where that row is free of nodes.
      const occupied = (/** @type {number} */ r) =>
        nodes.some((/** @type {any} */ node) => row.get(node.id) === r && (column.get(node.id) ?? 0) > sourceColumn && (column.get(node.id) ?? 0) < targetColumn);
      const late = (columnX[targetColumn] ?? 0) - COLUMN_GAP / 2;
      const early = (columnX[sourceColumn] ?? 0) + (columnWidth[sourceColumn] ?? 0) + COLUMN_GAP / 2;
      const turn = occupied(row.get(flow.sourceRef.id) ?? 0) && !occupied(row.get(flow.targetRef.id) ?? 0) ? early : late;
      points = sy === ty ? [[from.x + from.width, sy], [to.x, ty]] : [[from.x + from.width, sy], [turn, sy], [turn, ty], [to.x, ty]];
    }
    edges.push(`      <bpmndi:BPMNEdge id="${flow.id}_di" bpmnElement="${flow.id}">\n${points.map(([x, y]) => `        <di:waypoint x="${Math.round(x)}" y="${Math.round(y)}" />`).join('\n')}\n      </bpmndi:BPMNEdge>`);
  }
  const width = (columnX[columnCount - 1] ?? originX) + (columnWidth[columnCount - 1] ?? 0) + PADDING - originX;
  const height = bottom + 20 + loops * LOOP_SPACING + PADDING - originY;
  return {
    shapes,
    edges,
    width,
    height,
    /** The same drawing with its origin at (dx, dy). */
    shift(/** @type {number} */ dx, /** @type {number} */ dy) {
      const move = (/** @type {string} */ text) =>
        text.replace(/(x)="(-?\d+)" (y)="(-?\d+)"/g, (_, xName, x, yName, y) => `${xName}="${Number(x) + dx}" ${yName}="${Number(y) + dy}"`);
      return { shapes: shapes.map(move), edges: edges.map(move) };
    },
  };
}

async function main() {
  const [source, target] = process.argv.slice(2);
  if (!source || !target) {
    console.error('usage: node scripts/layout-bpmn.js <source.bpmn> <target.bpmn>');
    process.exit(2);
  }
  const xml = await readFile(source, 'utf8');
  if (xml.includes('<bpmndi:BPMNDiagram')) throw new Error(`${source} has a diagram already: remove it first to lay the model out again`);
  const { BpmnModdle } = await import('bpmn-moddle');
  /** @type {any} */
  const moddle = new BpmnModdle();
  const { rootElement, warnings } = await moddle.fromXML(xml);
  if (warnings.length > 0) throw new Error(`${source}: ${warnings.map((/** @type {{ message: string }} */ warning) => warning.message).join('; ')}`);
  const processes = rootElement.rootElements.filter((/** @type {any} */ element) => element.$type === 'bpmn:Process');
  if (processes.length !== 1) throw new Error(`${source}: lays out one process, found ${processes.length}`);
  const [processElement] = processes;
  const laid = layoutContainer(processElement, 100, 40);
  const diagram = [
    `  <bpmndi:BPMNDiagram id="BPMNDiagram_${processElement.id}">`,
    `    <bpmndi:BPMNPlane id="BPMNPlane_${processElement.id}" bpmnElement="${processElement.id}">`,
    ...laid.shapes,
    ...laid.edges,
    '    </bpmndi:BPMNPlane>',
    '  </bpmndi:BPMNDiagram>',
  ].join('\n');
  let out = xml.replace(/\s*<\/bpmn:definitions>\s*$/, `\n${diagram}\n</bpmn:definitions>\n`);
  const namespaces = {
    'xmlns:bpmndi': 'http://www.omg.org/spec/BPMN/20100524/DI',
    'xmlns:dc': 'http://www.omg.org/spec/DD/20100524/DC',
    'xmlns:di': 'http://www.omg.org/spec/DD/20100524/DI',
  };
  for (const [name, uri] of Object.entries(namespaces)) {
    if (!out.includes(`${name}=`)) out = out.replace('<bpmn:definitions ', `<bpmn:definitions ${name}="${uri}" `);
  }
  // The result must read back without complaint.
  const check = await moddle.fromXML(out);
  if (check.warnings.length > 0) throw new Error(`laid-out ${source}: ${check.warnings.map((/** @type {{ message: string }} */ warning) => warning.message).join('; ')}`);
  await writeFile(target, out);
  console.log(`${target}: laid out, ${laid.width} × ${laid.height}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
