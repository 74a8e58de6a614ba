// Colours of the seat map, shared by the canvas and the legend. Category colours are chosen
// to be told apart by people with the common colour-vision deficiencies and to have at least
// 3:1 contrast with the map background; status is also shown by shape (taken seats are
// smaller, picks have a ring), never by colour alone.

export const MAP_BACKGROUND = '#f7f5f0';
export const STAGE_FILL = '#1d2b53';
export const STAGE_TEXT = '#ffffff';
export const LABEL_TEXT = '#2b2f36';
export const HELD_FILL = '#c4bba9';
export const SOLD_FILL = '#7d838c';
export const PICK_FILL = '#111827';
export const PICK_RING = '#ffcc4d';
export const CURSOR_RING = '#0b57d0';
export const SECTION_OUTLINE = '#5b616b';

const CATEGORY_COLOURS = ['#0f7b7d', '#7a4bd1', '#c4581c', '#2a62c9', '#3c8a2e', '#b53a74', '#8a6d00', '#4d5d73'];

export function categoryColour(categoryIndex: number): string {
  return CATEGORY_COLOURS[categoryIndex % CATEGORY_COLOURS.length] as string;
}
