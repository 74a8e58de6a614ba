// What the colours and shapes on the map mean; swatches use the canvas's own colours.

import { HELD_FILL, PICK_FILL, PICK_RING, SOLD_FILL, categoryColour } from './palette';

function Swatch({ colour, ring, small }: { colour: string; ring?: string; small?: boolean }) {
  // Colours come from the palette at run time; setting element.style from script is allowed
  // by the Content-Security-Policy, unlike style attributes written in HTML.
  return (
    <span
      class={small ? 'legend__swatch legend__swatch--small' : 'legend__swatch'}
      aria-hidden="true"
      style={{ backgroundColor: colour, ...(ring ? { boxShadow: `0 0 0 2px ${ring}` } : {}) }}
    />
  );
}

export function Legend({ categories, prices }: { categories: string[]; prices: Record<string, string> }) {
  return (
    <div class="legend">
      <h3 class="visually-hidden">Legend</h3>
      <ul class="legend__list">
        {categories.map((category, i) => (
          <li key={category}>
            <Swatch colour={categoryColour(i)} /> {category}
            {prices[category] ? <span class="legend__price"> {prices[category]}</span> : null}
          </li>
        ))}
      </ul>
      <ul class="legend__list">
        <li>
          <Swatch colour={categoryColour(0)} /> available (category colour)
        </li>
        <li>
          <Swatch colour={HELD_FILL} small /> held
        </li>
        <li>
          <Swatch colour={SOLD_FILL} small /> sold
        </li>
        <li>
          <Swatch colour={PICK_FILL} ring={PICK_RING} /> your pick
        </li>
      </ul>
    </div>
  );
}
