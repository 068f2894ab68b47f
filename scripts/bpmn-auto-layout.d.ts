// The one function scripts/layout-bpmn.js uses (the package ships no types).
declare module 'bpmn-auto-layout' {
  export function layoutProcess(xml: string): Promise<string>;
}
