// A labelled number input for the settings forms. What the engineer typed is read once here: an empty box or a value
// the field's rule refuses reads as `undefined` (unset), so each form states only its rule.
export interface NumberFieldProps {
  label: string;
  title?: string;
  value: number | undefined;
  /** The value to keep for what was typed, or undefined for "unset" (empty, or outside the field's range). */
  accept: (v: number) => number | undefined;
  onChange: (v: number | undefined) => void;
  min?: number;
  max?: number;
  step?: number | 'any';
  placeholder?: string;
  testId?: string;
}

export function NumberField(p: NumberFieldProps) {
  return (
    <label title={p.title}>
      {p.label}
      <input
        type="number"
        min={p.min}
        max={p.max}
        step={p.step}
        value={p.value ?? ''}
        placeholder={p.placeholder}
        data-testid={p.testId}
        onChange={(e) => {
          const raw = e.target.value.trim();
          const v = Number(raw);
          p.onChange(raw === '' || !Number.isFinite(v) ? undefined : p.accept(v));
        }}
      />
    </label>
  );
}
