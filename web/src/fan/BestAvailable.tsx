// Best available: the server chooses the best free seats of a category (adjacent in a row
// where it can). Standing places are only ever chosen this way.

import { useState } from 'preact/hooks';
import { SelectField, Field } from '../ui/Field';

export function BestAvailable({
  categories,
  maxSeats,
  disabled,
  working,
  onFind,
}: {
  categories: string[];
  maxSeats: number;
  disabled: boolean;
  working: boolean;
  onFind(category: string, quantity: number): void;
}) {
  const [category, setCategory] = useState(categories[0] ?? '');
  const [quantity, setQuantity] = useState('2');
  const count = Number(quantity);
  const valid = Number.isInteger(count) && count >= 1 && count <= maxSeats;
  return (
    <section class="panel" aria-labelledby="best-heading">
      <h2 id="best-heading">Best available</h2>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (valid && category) onFind(category, count);
        }}
      >
        <SelectField label="Category" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
          {categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
        <Field
          label="Quantity"
          type="number"
          inputMode="numeric"
          min={1}
          max={maxSeats}
          value={quantity}
          error={quantity !== '' && !valid ? `Choose 1 to ${maxSeats}.` : undefined}
          onInput={(e) => setQuantity(e.currentTarget.value)}
        />
        <button type="submit" class="button" disabled={disabled || working || !valid}>
          Find best available
        </button>
      </form>
    </section>
  );
}
