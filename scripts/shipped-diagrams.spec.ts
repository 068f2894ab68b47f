import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PROCESSES = path.resolve(__dirname, '../processes');

interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The diagram of a model: its shapes' boxes and its edges' waypoints, by element id. */
function diagramOf(xml: string): { shapes: Map<string, Box>; edges: Map<string, Array<[number, number]>> } {
  const shapes = new Map<string, Box>();
  for (const match of xml.matchAll(/<bpmndi:BPMNShape [^>]*bpmnElement="([^"]+)"[^>]*>\s*<dc:Bounds x="(-?[\d.]+)" y="(-?[\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)) {
    shapes.set(match[1]!, { id: match[1]!, x: Number(match[2]), y: Number(match[3]), width: Number(match[4]), height: Number(match[5]) });
  }
  const edges = new Map<string, Array<[number, number]>>();
  for (const match of xml.matchAll(/<bpmndi:BPMNEdge [^>]*bpmnElement="([^"]+)">([\s\S]*?)<\/bpmndi:BPMNEdge>/g)) {
    edges.set(match[1]!, [...match[2]!.matchAll(/x="(-?[\d.]+)" y="(-?[\d.]+)"/g)].map((point) => [Number(point[1]), Number(point[2])]));
  }
  return { shapes, edges };
}

function flowNodeIds(xml: string): string[] {
  return [...xml.matchAll(/<bpmn:(?:startEvent|endEvent|intermediateCatchEvent|intermediateThrowEvent|boundaryEvent|\w*[tT]ask|\w*Gateway|subProcess|callActivity) id="([^"]+)"/g)].map((match) => match[1]!);
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function inside(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

describe.each(fs.readdirSync(PROCESSES).filter((file) => file.endsWith('.bpmn')))('the shipped diagram of processes/%s', (file) => {
  const xml = fs.readFileSync(path.join(PROCESSES, file), 'utf8');
  const { shapes, edges } = diagramOf(xml);

  it('draws every flow node and every sequence flow, each flow from its source to its target', () => {
    for (const id of flowNodeIds(xml)) expect(shapes.has(id) ? id : `${id} has no shape`).toBe(id);
    for (const match of xml.matchAll(/<bpmn:sequenceFlow id="([^"]+)"[^>]* sourceRef="([^"]+)" targetRef="([^"]+)"/g)) {
      const [, id, source, target] = match;
      const points = edges.get(id!);
      expect(points && points.length >= 2 ? id : `${id} has no edge`).toBe(id);
      const touches = (box: Box, [x, y]: [number, number]) => x >= box.x - 1 && x <= box.x + box.width + 1 && y >= box.y - 1 && y <= box.y + box.height + 1;
      expect(touches(shapes.get(source!)!, points![0]!) ? id : `${id} does not leave ${source}`).toBe(id);
      expect(touches(shapes.get(target!)!, points!.at(-1)!) ? id : `${id} does not reach ${target}`).toBe(id);
    }
  });

  it('lets no two shapes overlap, unless one holds the other (an expanded subprocess)', () => {
    const boxes = [...shapes.values()];
    for (const [index, a] of boxes.entries()) {
      for (const b of boxes.slice(index + 1)) {
        if (overlaps(a, b) && !inside(a, b) && !inside(b, a)) throw new Error(`${a.id} overlaps ${b.id}`);
      }
    }
  });
});

describe('scripts/layout-bpmn.js', () => {
  it('refuses a model that has a diagram already, and lays out one without', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-'));
    const withDiagram = path.join(PROCESSES, 'clue-summary.bpmn');
    expect(() => execFileSync(process.execPath, [path.resolve(__dirname, 'layout-bpmn.js'), withDiagram, path.join(dir, 'out.bpmn')], { stdio: 'pipe' })).toThrow(/has a diagram already/);
    const bare = fs.readFileSync(withDiagram, 'utf8').replace(/\s*<bpmndi:BPMNDiagram[\s\S]*<\/bpmndi:BPMNDiagram>/, '');
    fs.writeFileSync(path.join(dir, 'bare.bpmn'), bare);
    execFileSync(process.execPath, [path.resolve(__dirname, 'layout-bpmn.js'), path.join(dir, 'bare.bpmn'), path.join(dir, 'out.bpmn')], { stdio: 'pipe' });
    expect(fs.readFileSync(path.join(dir, 'out.bpmn'), 'utf8')).toBe(fs.readFileSync(withDiagram, 'utf8'));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
