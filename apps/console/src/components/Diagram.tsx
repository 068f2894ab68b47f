import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import { Alert, Button, Space, Spin, Tooltip } from 'antd';
import { CompressOutlined, ZoomInOutlined, ZoomOutOutlined } from '@ant-design/icons';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { useEffect, useRef, useState } from 'react';

/** What to mark on the diagram: the element at hand, where tokens are (with counts), the path taken, incidents, findings. */
export interface DiagramMarks {
  /** The element this page is about (a task), outlined. */
  current?: string | null;
  /** Elements with active tokens, and how many. */
  active?: Record<string, number>;
  /** Elements and flows already passed. */
  done?: string[];
  /** Elements with an open incident. */
  incidents?: string[];
  /** Problems found in the model, at their element. */
  findings?: Array<{ elementId: string; message: string; severity: 'error' | 'warning' }>;
}

interface Canvas {
  zoom(): number;
  zoom(level: 'fit-viewport' | number, center?: 'auto'): number;
  addMarker(element: string, marker: string): void;
}
interface Overlays {
  add(element: string, overlay: { position: { top?: number; right?: number; bottom?: number; left?: number }; html: HTMLElement }): void;
}
interface Registry {
  get(id: string): unknown;
}

/** A BPMN diagram drawn by bpmn.io's viewer, movable and zoomable, with marks. Loaded only by the pages that show one. */
export default function Diagram({ xml, marks = {}, height = 360 }: { xml: string; marks?: DiagramMarks; height?: number }) {
  const container = useRef<HTMLDivElement>(null);
  const viewer = useRef<NavigatedViewer | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'no-diagram' | 'failed'>('loading');
  const marksKey = JSON.stringify(marks);

  useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    const instance = new NavigatedViewer({ container: element });
    viewer.current = instance;
    let live = true;
    setState('loading');
    instance.importXML(xml).then(
      () => {
        if (!live) return;
        const canvas = instance.get<Canvas>('canvas');
        const registry = instance.get<Registry>('elementRegistry');
        const overlays = instance.get<Overlays>('overlays');
        const known = (id: string): boolean => registry.get(id) !== undefined;
        const parsed = JSON.parse(marksKey) as DiagramMarks;
        for (const id of (parsed.done ?? []).filter(known)) canvas.addMarker(id, 'marker-done');
        // A flow is on the path taken when both its ends were reached.
        const reached = new Set([...(parsed.done ?? []), ...Object.keys(parsed.active ?? {}), ...(parsed.incidents ?? [])]);
        if (reached.size > 0) {
          for (const element of (registry as unknown as { getAll(): Array<{ id: string; type: string; source?: { id: string }; target?: { id: string } }> }).getAll()) {
            if (element.type === 'bpmn:SequenceFlow' && element.source && element.target && (parsed.done ?? []).includes(element.source.id) && reached.has(element.target.id)) {
              canvas.addMarker(element.id, 'marker-done');
            }
          }
        }
        for (const [id, count] of Object.entries(parsed.active ?? {}).filter(([id]) => known(id))) {
          canvas.addMarker(id, 'marker-active');
          overlays.add(id, { position: { bottom: 10, left: -8 }, html: badge(String(count), 'diagram-badge diagram-badge-active', `${count} 个活动`) });
        }
        for (const id of (parsed.incidents ?? []).filter(known)) {
          canvas.addMarker(id, 'marker-incident');
          overlays.add(id, { position: { top: -10, right: 10 }, html: badge('!', 'diagram-badge diagram-badge-incident', '故障') });
        }
        if (parsed.current && known(parsed.current)) canvas.addMarker(parsed.current, 'marker-current');
        for (const finding of (parsed.findings ?? []).filter((item) => known(item.elementId))) {
          canvas.addMarker(finding.elementId, finding.severity === 'error' ? 'marker-error' : 'marker-warning');
          overlays.add(finding.elementId, {
            position: { top: -12, left: -12 },
            html: badge(finding.severity === 'error' ? '✕' : '!', `diagram-badge diagram-badge-${finding.severity}`, finding.message),
          });
        }
        const hasShapes = (registry as unknown as { getAll(): unknown[] }).getAll().length > 1;
        if (!hasShapes) {
          setState('no-diagram');
          return;
        }
        canvas.zoom('fit-viewport', 'auto');
        setState('ready');
      },
      () => live && setState('failed'),
    );
    return () => {
      live = false;
      instance.destroy();
      viewer.current = null;
    };
  }, [xml, marksKey]);

  const zoom = (factor: number | 'fit'): void => {
    const canvas = viewer.current?.get<Canvas>('canvas');
    if (!canvas) return;
    if (factor === 'fit') canvas.zoom('fit-viewport', 'auto');
    else canvas.zoom(canvas.zoom() * factor);
  };

  return (
    <div className="diagram" style={{ height }}>
      {state === 'loading' && <Spin className="diagram-spin" tip="正在绘制流程图…"><div style={{ height: 40 }} /></Spin>}
      {state === 'no-diagram' && <Alert className="diagram-note" type="info" showIcon message="该流程定义没有图形信息（未在建模器中绘制），无法显示流程图" />}
      {state === 'failed' && <Alert className="diagram-note" type="error" showIcon message="流程图无法显示：文件内容有误" />}
      <div ref={container} className="diagram-canvas" role="img" aria-label="流程图" />
      {state === 'ready' && (
        <Space.Compact className="diagram-tools">
          <Tooltip title="放大"><Button size="small" icon={<ZoomInOutlined />} aria-label="放大" onClick={() => zoom(1.2)} /></Tooltip>
          <Tooltip title="缩小"><Button size="small" icon={<ZoomOutOutlined />} aria-label="缩小" onClick={() => zoom(1 / 1.2)} /></Tooltip>
          <Tooltip title="适应窗口"><Button size="small" icon={<CompressOutlined />} aria-label="适应窗口" onClick={() => zoom('fit')} /></Tooltip>
        </Space.Compact>
      )}
    </div>
  );
}

function badge(text: string, className: string, title: string): HTMLElement {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  element.title = title;
  return element;
}
