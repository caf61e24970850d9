// X-rays and clinical photographs as the imaging screens handle them: the import form,
// the viewer's binary answer, the lookup table that turns samples into screen grays
// (window/level, brightness, contrast, inversion) and the viewer's geometry (zoom, pan,
// quarter turns, measurements). The core decodes and checks the files; nothing here
// touches the DOM, so a canvas only copies what these functions compute.

import { todayIso } from "../../lib/age";
import type { FileFormat } from "../../lib/bindings/FileFormat";
import type { Language } from "../../lib/bindings/Language";
import type { NewXray } from "../../lib/bindings/NewXray";
import type { XrayDto } from "../../lib/bindings/XrayDto";
import type { XrayKind } from "../../lib/bindings/XrayKind";
import type { XrayView } from "../../lib/bindings/XrayView";
import { formatNumber } from "../../lib/format";
import { isTooth } from "../chart/chart";

export const XRAY_KINDS: readonly XrayKind[] = ["bitewing", "periapical", "panoramic", "cbct_slice", "photo"];

export function isXrayKind(value: string): value is XrayKind {
  return (XRAY_KINDS as readonly string[]).includes(value);
}

/** How the file's format is written for people. */
export const FORMAT_NAMES: Record<FileFormat, string> = { png: "PNG", jpeg: "JPEG", tiff: "TIFF", dicom: "DICOM" };

// ---- the import form ------------------------------------------------------------------

export interface ImportForm {
  /** A file on this computer; `~/` is the home folder. */
  path: string;
  kind: XrayKind;
  date: string;
  /** FDI numbers as typed, separated by spaces or commas. */
  teeth: string;
  note: string;
}

export function emptyImportForm(today: string = todayIso()): ImportForm {
  return { path: "", kind: "periapical", date: today, teeth: "", note: "" };
}

export interface TeethParse {
  /** Each tooth once, in the order typed. */
  teeth: number[];
  /** What is not an FDI tooth number, as typed. */
  invalid: string[];
}

/** FDI numbers separated by spaces, commas or semicolons: 11-18 … 41-48, 51-55 … 81-85. */
export function parseTeeth(text: string): TeethParse {
  const teeth: number[] = [];
  const invalid: string[] = [];
  for (const token of text.split(/[\s,;]+/).filter((x) => x !== "")) {
    const n = /^\d{2}$/.test(token) ? Number(token) : NaN;
    if (!isTooth(n)) invalid.push(token);
    else if (!teeth.includes(n)) teeth.push(n);
  }
  return { teeth, invalid };
}

/** The path as typed, without the quotes a file manager's "copy as path" puts around it. */
export function importPath(text: string): string {
  const trimmed = text.trim();
  const m = /^(["'])(.*)\1$/.exec(trimmed);
  return (m ? m[2]! : trimmed).trim();
}

export interface ImportProblems {
  path: boolean;
  date: "missing" | "future" | null;
  /** The tokens that are not FDI tooth numbers. */
  teeth: string[];
}

export function importProblems(form: ImportForm, today: string = todayIso()): ImportProblems {
  return {
    path: importPath(form.path) === "",
    date: form.date === "" ? "missing" : form.date > today ? "future" : null,
    teeth: parseTeeth(form.teeth).invalid,
  };
}

export function hasImportProblems(p: ImportProblems): boolean {
  return p.path || p.date !== null || p.teeth.length > 0;
}

export function toNewXray(form: ImportForm): NewXray {
  const note = form.note.trim();
  return { kind: form.kind, date: form.date, teeth: parseTeeth(form.teeth).teeth, note: note === "" ? null : note };
}

// ---- what open_xray answers -------------------------------------------------------------

export interface OpenedXray {
  view: XrayView;
  /** `width * height * channels` samples, row-major, RGB interleaved. */
  samples: Uint8Array | Uint16Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Read `open_xray`'s binary answer: a little-endian u32 N, N bytes of `XrayView` JSON,
 * then the samples (1 byte each, or 2 little-endian bytes for 16 bits). Throws on an
 * answer too short for what its header says.
 */
export function parseXrayView(buf: ArrayBuffer): OpenedXray {
  if (buf.byteLength < 4) throw new Error("xray view: the answer is shorter than its header length");
  const headLength = new DataView(buf).getUint32(0, true);
  const start = 4 + headLength;
  if (start > buf.byteLength) throw new Error("xray view: the header is cut short");
  const view = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, headLength))) as XrayView;
  const { width, height, channels, bits } = view;
  if (![1, 3].includes(channels) || ![8, 16].includes(bits) || !(width > 0) || !(height > 0)) {
    throw new Error(`xray view: unexpected layout ${width}x${height}, ${channels} channels, ${bits} bits`);
  }
  const count = width * height * channels;
  const bytes = count * (bits / 8);
  if (buf.byteLength - start < bytes) throw new Error("xray view: fewer samples than the header says");
  if (bits === 8) return { view, samples: new Uint8Array(buf, start, count) };
  if (LITTLE_ENDIAN) {
    // A Uint16Array needs an even offset: copy when the header's length is odd.
    const samples = start % 2 === 0 ? new Uint16Array(buf, start, count) : new Uint16Array(buf.slice(start, start + bytes));
    return { view, samples };
  }
  const data = new DataView(buf, start, bytes);
  const samples = new Uint16Array(count);
  for (let i = 0; i < count; i++) samples[i] = data.getUint16(i * 2, true);
  return { view, samples };
}

// ---- window/level, brightness, contrast -------------------------------------------------

export interface WindowLevel {
  /** In sample values. */
  center: number;
  width: number;
}

/**
 * How the viewer adjusts an image: 16-bit and DICOM images by their window (centre and
 * width sliders, brightness and contrast moving the window); 8-bit photographs and
 * scans by brightness and contrast applied after the file's window.
 */
export type AdjustMode = "window" | "photo";

export function adjustMode(view: Pick<XrayView, "bits" | "xray">): AdjustMode {
  return view.bits === 16 || view.xray.format === "dicom" ? "window" : "photo";
}

/** Brightness and contrast sliders go from -100 to 100 (%). */
export const ADJUST_MIN = -100;
export const ADJUST_MAX = 100;

/** The factor a contrast of `percent` multiplies by: 1 at 0, ×4 at 100, ×¼ at -100. */
export const contrastFactor = (percent: number) => 2 ** (percent / 50);

/**
 * One 8-bit gray per sample value (256 entries for 8 bits, 65536 for 16): t = (v - (centre
 * - width/2)) / width clamped to 0..1, flipped when `invert`, then `brightness` (%) added
 * and `contrast` (%) multiplying around the middle gray.
 */
export function buildLut(bits: number, win: WindowLevel, invert: boolean, brightness = 0, contrast = 0): Uint8Array {
  const size = bits === 16 ? 65536 : 256;
  const lut = new Uint8Array(size);
  const width = Math.max(win.width, 1e-6);
  const low = win.center - width / 2;
  const k = contrastFactor(contrast);
  const b = brightness / 100;
  const plain = brightness === 0 && contrast === 0;
  for (let v = 0; v < size; v++) {
    let t = (v - low) / width;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    if (invert) t = 1 - t;
    if (!plain) {
      t = (t - 0.5) * k + 0.5 + b;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
    }
    lut[v] = Math.round(t * 255);
  }
  return lut;
}

/**
 * The window that shows what `win` with `brightness` and `contrast` (%) shows: the width
 * divided by the contrast factor, the centre moved by the brightness (the other way when
 * the image is shown inverted, so that more brightness is always brighter).
 */
export function adjustedWindow(win: WindowLevel, brightness: number, contrast: number, inverted: boolean): WindowLevel {
  const width = win.width / contrastFactor(contrast);
  const sign = inverted ? -1 : 1;
  return { center: win.center - sign * (brightness / 100) * width, width };
}

/** The brightness and contrast (%) that bring the file's window to `win`; `adjustedWindow` undone. */
export function brightnessContrastOf(file: WindowLevel, win: WindowLevel, inverted: boolean): { brightness: number; contrast: number } {
  const contrast = 50 * Math.log2(file.width / win.width);
  const sign = inverted ? -1 : 1;
  const brightness = (sign * (file.center - win.center) * 100) / win.width;
  return { brightness, contrast };
}

/** The lowest and highest sample (every channel). */
export function sampleRange(samples: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return samples.length === 0 ? { min: 0, max: 0 } : { min, max };
}

/** The window sliders' bounds: the data's range, stretched to take in `win` and the file's window. */
export function windowBounds(range: { min: number; max: number }, file: WindowLevel, win: WindowLevel) {
  const span = Math.max(range.max - range.min, 1);
  return {
    centerMin: Math.floor(Math.min(range.min, file.center, win.center)),
    centerMax: Math.ceil(Math.max(range.max, file.center, win.center)),
    widthMin: 1,
    widthMax: Math.ceil(Math.max(span, file.width, win.width)),
  };
}

/** The LUT as opaque RGBA pixels packed for a `Uint32Array` over `ImageData` (gray images). */
export function grayPixels(lut: Uint8Array): Uint32Array {
  const out = new Uint32Array(lut.length);
  for (let v = 0; v < lut.length; v++) {
    const g = lut[v]!;
    out[v] = LITTLE_ENDIAN ? (0xff000000 | (g << 16) | (g << 8) | g) >>> 0 : ((g << 24) | (g << 16) | (g << 8) | 0xff) >>> 0;
  }
  return out;
}

/**
 * Fill `out` (RGBA, 4 bytes a pixel, as `ImageData.data`) from the samples through the
 * LUT. `gray` is `grayPixels(lut)`, built once with the LUT, for one-channel images.
 */
export function paintSamples(
  samples: Uint8Array | Uint16Array,
  channels: number,
  lut: Uint8Array,
  out: Uint8ClampedArray,
  gray: Uint32Array | null = null,
): void {
  const pixels = out.length / 4;
  if (channels === 1) {
    const lut32 = gray ?? grayPixels(lut);
    const px = new Uint32Array(out.buffer, out.byteOffset, pixels);
    for (let i = 0; i < pixels; i++) px[i] = lut32[samples[i]!]!;
    return;
  }
  for (let i = 0, s = 0, o = 0; i < pixels; i++, s += 3, o += 4) {
    out[o] = lut[samples[s]!]!;
    out[o + 1] = lut[samples[s + 1]!]!;
    out[o + 2] = lut[samples[s + 2]!]!;
    out[o + 3] = 255;
  }
}

// ---- the viewer's geometry -----------------------------------------------------------------

export interface Point {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

/** Quarter turns clockwise. */
export type Rotation = 0 | 1 | 2 | 3;

export interface Geometry {
  /** Screen pixels per image pixel. */
  zoom: number;
  /** Where the image's centre is, from the canvas centre, in screen pixels. */
  panX: number;
  panY: number;
  rotation: Rotation;
}

export const ZOOM_STEP = 1.25;
export const ZOOM_MIN = 0.02;
export const ZOOM_MAX = 32;
/** How far an arrow key moves the image, in screen pixels. */
export const PAN_STEP = 40;

export function rotate(r: Rotation, direction: "left" | "right"): Rotation {
  return (((r + (direction === "right" ? 1 : 3)) % 4) as Rotation);
}

/** The image's size as turned on screen. */
export function turnedSize(image: Size, r: Rotation): Size {
  return r % 2 === 0 ? image : { width: image.height, height: image.width };
}

/** The zoom that shows the whole (turned) image in the box. */
export function fitZoom(image: Size, r: Rotation, box: Size): number {
  const s = turnedSize(image, r);
  if (s.width <= 0 || s.height <= 0 || box.width <= 0 || box.height <= 0) return 1;
  return Math.min(box.width / s.width, box.height / s.height);
}

export function fitGeometry(image: Size, r: Rotation, box: Size): Geometry {
  return { zoom: fitZoom(image, r, box), panX: 0, panY: 0, rotation: r };
}

/** Keep the image over the box: it moves only where it is larger than the box, never past its edges. */
export function clampPan(g: Geometry, image: Size, box: Size): Geometry {
  const s = turnedSize(image, g.rotation);
  const limitX = Math.max(0, (s.width * g.zoom - box.width) / 2);
  const limitY = Math.max(0, (s.height * g.zoom - box.height) / 2);
  const clamp = (v: number, limit: number) => Math.min(limit, Math.max(-limit, v)) || 0;
  return { ...g, panX: clamp(g.panX, limitX), panY: clamp(g.panY, limitY) };
}

/** Whether the image is larger than the box, so that dragging moves it. */
export function canPan(g: Geometry, image: Size, box: Size): boolean {
  const s = turnedSize(image, g.rotation);
  return s.width * g.zoom > box.width + 0.5 || s.height * g.zoom > box.height + 0.5;
}

const TURNS: readonly (readonly [number, number])[] = [
  [1, 0],
  [0, 1],
  [-1, 0],
  [0, -1],
];

/** Where an image pixel (`x` right, `y` down from its top left) is on the canvas. */
export function imageToCanvas(p: Point, g: Geometry, image: Size, box: Size): Point {
  const [cos, sin] = TURNS[g.rotation]!;
  const u = (p.x - image.width / 2) * g.zoom;
  const v = (p.y - image.height / 2) * g.zoom;
  return { x: box.width / 2 + g.panX + u * cos - v * sin, y: box.height / 2 + g.panY + u * sin + v * cos };
}

/** Which image pixel is under a canvas point; `imageToCanvas` undone. */
export function canvasToImage(p: Point, g: Geometry, image: Size, box: Size): Point {
  const [cos, sin] = TURNS[g.rotation]!;
  const dx = p.x - box.width / 2 - g.panX;
  const dy = p.y - box.height / 2 - g.panY;
  const u = dx * cos + dy * sin;
  const v = -dx * sin + dy * cos;
  return { x: u / g.zoom + image.width / 2, y: v / g.zoom + image.height / 2 };
}

/** Zoom by `factor`, keeping the image point under `at` (a canvas point; the centre by default) where it is. */
export function zoomAt(g: Geometry, factor: number, image: Size, box: Size, at?: Point): Geometry {
  const zoom = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, g.zoom * factor));
  const ratio = zoom / g.zoom;
  const ax = (at?.x ?? box.width / 2) - box.width / 2;
  const ay = (at?.y ?? box.height / 2) - box.height / 2;
  const next = { ...g, zoom, panX: ax - (ax - g.panX) * ratio, panY: ay - (ay - g.panY) * ratio };
  return clampPan(next, image, box);
}

export function insideImage(p: Point, image: Size): boolean {
  return p.x >= 0 && p.y >= 0 && p.x <= image.width && p.y <= image.height;
}

// ---- measurements -------------------------------------------------------------------------

export interface Measurement {
  pixels: number;
  /** Null when the image is not calibrated. */
  mm: number | null;
}

/** The distance between two image points, in the viewer's pixels and, when calibrated, in mm. */
export function measure(a: Point, b: Point, mmPerPixel: number | null | undefined): Measurement {
  const pixels = Math.hypot(b.x - a.x, b.y - a.y);
  return { pixels, mm: mmPerPixel && mmPerPixel > 0 ? pixels * mmPerPixel : null };
}

// ---- the keyboard -----------------------------------------------------------------------------

export type ViewerAction =
  | "zoomIn"
  | "zoomOut"
  | "fit"
  | "rotateRight"
  | "rotateLeft"
  | "invert"
  | "close"
  | "panLeft"
  | "panRight"
  | "panUp"
  | "panDown";

/** What a key does in the viewer: +/- zoom, 0 fit, r rotate (R the other way), i invert, Escape closes, arrows pan. */
export function viewerKeyAction(key: string): ViewerAction | null {
  switch (key) {
    case "+":
    case "=":
      return "zoomIn";
    case "-":
    case "_":
      return "zoomOut";
    case "0":
      return "fit";
    case "r":
      return "rotateRight";
    case "R":
      return "rotateLeft";
    case "i":
    case "I":
      return "invert";
    case "Escape":
      return "close";
    case "ArrowLeft":
      return "panLeft";
    case "ArrowRight":
      return "panRight";
    case "ArrowUp":
      return "panUp";
    case "ArrowDown":
      return "panDown";
    default:
      return null;
  }
}

// ---- facts shown ---------------------------------------------------------------------------

/** A DICOM date (`YYYYMMDD`) as `YYYY-MM-DD`; anything else as it is. */
export function dicomDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : value;
}

/** A DICOM person name (`Family^Given^Middle^Prefix^Suffix`) with spaces between its parts. */
export function dicomName(value: string | null | undefined): string | null {
  if (!value) return null;
  const name = value
    .split("^")
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .join(" ");
  return name === "" ? null : name;
}

/** A file size in B, KB or MB (1024-based), in the language's number format. */
export function formatFileSize(bytes: number, lang: Language): string {
  if (bytes < 1024) return `${formatNumber(bytes, lang)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round(bytes / 1024), lang)} KB`;
  return `${formatNumber(bytes / (1024 * 1024), lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} MB`;
}

/** The images another can be compared with: every other one, in the list's order (newest first). */
export function compareChoices(all: readonly XrayDto[], shown: string): XrayDto[] {
  return all.filter((x) => x.id !== shown);
}
