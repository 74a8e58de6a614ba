// The view onto the world: screen = world * scale + offset, in CSS pixels of the canvas.

import { SEAT_PITCH } from './layout';

export interface Camera {
  scale: number;
  tx: number;
  ty: number;
}

export interface Bounds {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Below this on-screen seat pitch, seats are too small to pick and sections are drawn instead. */
export const SEAT_DETAIL_PITCH_PX = 5;
/** Zooming in stops when a seat would be this large; more helps nobody. */
const MAX_PITCH_PX = 64;

export function seatsVisible(camera: Camera): boolean {
  return camera.scale * SEAT_PITCH >= SEAT_DETAIL_PITCH_PX;
}

export function fitCamera(bounds: Bounds, width: number, height: number, marginPx = 16): Camera {
  const scale = Math.max(
    1e-3,
    Math.min((width - 2 * marginPx) / Math.max(bounds.w, 1), (height - 2 * marginPx) / Math.max(bounds.h, 1)),
  );
  return {
    scale,
    tx: (width - bounds.w * scale) / 2 - bounds.x * scale,
    ty: (height - bounds.h * scale) / 2 - bounds.y * scale,
  };
}

export function scaleLimits(fitScale: number): { min: number; max: number } {
  return { min: fitScale * 0.5, max: Math.max(fitScale, MAX_PITCH_PX / SEAT_PITCH) };
}

/** Zooms by `factor` keeping the world point under (sx, sy) where it is on screen. */
export function zoomAt(camera: Camera, factor: number, sx: number, sy: number, limits: { min: number; max: number }): Camera {
  const scale = Math.min(limits.max, Math.max(limits.min, camera.scale * factor));
  const k = scale / camera.scale;
  return { scale, tx: sx - (sx - camera.tx) * k, ty: sy - (sy - camera.ty) * k };
}

export function centreOn(camera: Camera, wx: number, wy: number, width: number, height: number): Camera {
  return { scale: camera.scale, tx: width / 2 - wx * camera.scale, ty: height / 2 - wy * camera.scale };
}

export function toWorld(camera: Camera, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - camera.tx) / camera.scale, y: (sy - camera.ty) / camera.scale };
}

export function toScreen(camera: Camera, wx: number, wy: number): { x: number; y: number } {
  return { x: wx * camera.scale + camera.tx, y: wy * camera.scale + camera.ty };
}

/** The world rectangle a width × height canvas shows. */
export function visibleWorld(camera: Camera, width: number, height: number): Bounds {
  const topLeft = toWorld(camera, 0, 0);
  return { x: topLeft.x, y: topLeft.y, w: width / camera.scale, h: height / camera.scale };
}
