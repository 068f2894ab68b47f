/** XML element name of a moddle type as written in the file: `bpmn:ComplexGateway` → `bpmn:complexGateway`. */
export function xmlName(type: string): string {
  const [prefix, local] = type.includes(':') ? (type.split(':', 2) as [string, string]) : ['', type];
  const name = local.charAt(0).toLowerCase() + local.slice(1);
  return prefix ? `${prefix}:${name}` : name;
}

/** `<bpmn:userTask>` for messages and findings. */
export function tag(type: string): string {
  return `<${xmlName(type)}>`;
}
