// Minimal declarations for ESM packages without types reachable through classic resolution.
declare module 'saxen' {
  export class Parser {
    constructor(options?: { proxy?: boolean });
    ns(namespaces: Record<string, string>): void;
    on(event: string, handler: (...args: never[]) => void): void;
    parse(xml: string): void;
    /** Stops parsing after the current event. */
    stop(): void;
  }
}

declare module 'bpmn-moddle' {
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(
      xml: string,
      typeName?: string,
    ): Promise<{ rootElement: unknown; warnings: Array<{ message: string; element?: unknown; error?: unknown }>; elementsById: Record<string, unknown> }>;
  }
}
