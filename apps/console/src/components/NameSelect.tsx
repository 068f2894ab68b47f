import { Select } from 'antd';

/** A filter choosing one of the named things of a lookup (a process, round or unit), or none. */
export function NameSelect({ label, placeholder, names, value, onChange, width = 180 }: { label: string; placeholder: string; names: Record<string, string>; value: string | undefined; onChange: (value: string | undefined) => void; width?: number }) {
  return (
    <Select
      allowClear
      showSearch
      optionFilterProp="label"
      placeholder={placeholder}
      aria-label={label}
      style={{ width }}
      value={value}
      onChange={(next?: string) => onChange(next)}
      options={Object.entries(names).map(([id, name]) => ({ value: id, label: name }))}
    />
  );
}
