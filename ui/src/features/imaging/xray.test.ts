import { describe, expect, it } from "vitest";

import type { XrayDto } from "../../lib/bindings/XrayDto";
import type { XrayView } from "../../lib/bindings/XrayView";
import { maker, TODAY } from "../../lib/testing";
import {
  adjustMode,
  adjustedWindow,
  brightnessContrastOf,
  buildLut,
  canPan,
  canvasToImage,
  clampPan,
  compareChoices,
  contrastFactor,
  dicomDate,
  dicomName,
  emptyImportForm,
  fitGeometry,
  fitZoom,
  formatFileSize,
  grayPixels,
  hasImportProblems,
  imageToCanvas,
  importPath,
  importProblems,
  measure,
  paintSamples,
  parseTeeth,
  parseXrayView,
  rotate,
  sampleRange,
  toNewXray,
  viewerKeyAction,
  windowBounds,
  zoomAt,
  type Geometry,
} from "./xray";

const xray = maker<XrayDto>(() => ({
  id: "x-1",
  kind: "periapical",
  date: "2026-11-20",
  teeth: [36],
  note: null,
  format: "dicom",
  width: 3,
  height: 2,
  bits: 16,
  photometric: "monochrome2",
  pixel_spacing_mm: [0.1, 0.1],
  size_bytes: 4096,
  dicom: { patient_name: "POP^ANA", patient_id: "123", study_date: "20261120", modality: "IO" },
  frames: 1,
  thumbnail: "data:image/png;base64,AAAA",
  recorded_by: "dr.ana",
  recorded_at: "2026-11-20T10:00:00Z",
}));

const view = maker<XrayView>(() => ({
  xray: xray(),
  frame: 0,
  width: 3,
  height: 2,
  scale: 1,
  bits: 16,
  channels: 1,
  window_center: 2048,
  window_width: 4096,
  invert: false,
  mm_per_pixel: 0.1,
}));

/** The shell's answer: u32 LE header length, the header's JSON, the samples as bytes. */
function answer(v: XrayView, sampleBytes: number[], pad = ""): ArrayBuffer {
  const head = new TextEncoder().encode(JSON.stringify(v) + pad);
  const buf = new ArrayBuffer(4 + head.length + sampleBytes.length);
  new DataView(buf).setUint32(0, head.length, true);
  new Uint8Array(buf, 4, head.length).set(head);
  new Uint8Array(buf, 4 + head.length).set(sampleBytes);
  return buf;
}

/** Six 16-bit samples, little-endian. */
const SIX_U16 = [0, 1, 4095, 65535, 256, 2];
const u16Bytes = (values: number[]) => values.flatMap((v) => [v & 0xff, v >> 8]);

describe("the import form", () => {
  it("starts today with a periapical and nothing else", () => {
    expect(emptyImportForm(TODAY)).toEqual({ path: "", kind: "periapical", date: TODAY, teeth: "", note: "" });
  });

  it("reads FDI numbers separated by spaces, commas or semicolons, each tooth once", () => {
    expect(parseTeeth("")).toEqual({ teeth: [], invalid: [] });
    expect(parseTeeth(" 36, 37 ;46  36 ")).toEqual({ teeth: [36, 37, 46], invalid: [] });
    expect(parseTeeth("18 21 38 41 48 51 55 61 65 71 75 81 85").invalid).toEqual([]);
  });

  it("names what is not an FDI tooth number", () => {
    expect(parseTeeth("10 19 29 39 49 50 56 66 76 86 91 11").invalid).toEqual(["10", "19", "29", "39", "49", "50", "56", "66", "76", "86", "91"]);
    expect(parseTeeth("3 036 1.5 ab 11").invalid).toEqual(["3", "036", "1.5", "ab"]);
    expect(parseTeeth("3 036 1.5 ab 11").teeth).toEqual([11]);
  });

  it("takes the path without the quotes a file manager adds", () => {
    expect(importPath('  "/home/ana/RX 1.dcm" ')).toBe("/home/ana/RX 1.dcm");
    expect(importPath("'~/rx.png'")).toBe("~/rx.png");
    expect(importPath("~/it's.png")).toBe("~/it's.png");
  });

  it("needs a path, a date that is not in the future and real teeth", () => {
    const ok = { ...emptyImportForm(TODAY), path: "~/rx.dcm", teeth: "36 37" };
    expect(importProblems(ok, TODAY)).toEqual({ path: false, date: null, teeth: [] });
    expect(hasImportProblems(importProblems(ok, TODAY))).toBe(false);
    const bad = { ...ok, path: ' "" ', date: "2026-11-26", teeth: "36 99" };
    expect(importProblems(bad, TODAY)).toEqual({ path: true, date: "future", teeth: ["99"] });
    expect(importProblems({ ...ok, date: "" }, TODAY).date).toBe("missing");
    expect(hasImportProblems(importProblems({ ...ok, teeth: "1" }, TODAY))).toBe(true);
  });

  it("sends the kind, the day, the teeth as numbers and a note only when written", () => {
    const form = { path: "~/a.png", kind: "bitewing" as const, date: TODAY, teeth: "16,17 46", note: "  " };
    expect(toNewXray(form)).toEqual({ kind: "bitewing", date: TODAY, teeth: [16, 17, 46], note: null });
    expect(toNewXray({ ...form, note: " caries 46 " }).note).toBe("caries 46");
  });
});

describe("parseXrayView", () => {
  it("reads the header and the 16-bit samples in little-endian order", () => {
    const v = view();
    const { view: parsed, samples } = parseXrayView(answer(v, u16Bytes(SIX_U16)));
    expect(parsed).toEqual(v);
    expect(samples).toBeInstanceOf(Uint16Array);
    expect([...samples]).toEqual(SIX_U16);
  });

  it("reads 16-bit samples whatever the header's length (odd offsets copied)", () => {
    for (const pad of ["", " ", "  ", "   "]) {
      const { samples } = parseXrayView(answer(view(), u16Bytes(SIX_U16), pad));
      expect([...samples], JSON.stringify(pad)).toEqual(SIX_U16);
    }
  });

  it("reads 8-bit RGB samples interleaved, as bytes", () => {
    const v = view({ bits: 8, channels: 3, width: 2, height: 1, window_center: 127.5, window_width: 256 });
    const { samples } = parseXrayView(answer(v, [1, 2, 3, 250, 251, 252]));
    expect(samples).toBeInstanceOf(Uint8Array);
    expect([...samples]).toEqual([1, 2, 3, 250, 251, 252]);
  });

  it("ignores bytes after the samples and refuses an answer cut short", () => {
    expect(parseXrayView(answer(view(), [...u16Bytes(SIX_U16), 9, 9])).samples.length).toBe(6);
    expect(() => parseXrayView(answer(view(), u16Bytes(SIX_U16).slice(0, 11)))).toThrow(/fewer samples/);
    expect(() => parseXrayView(new ArrayBuffer(2))).toThrow();
    const cut = answer(view(), []);
    new DataView(cut).setUint32(0, 100000, true);
    expect(() => parseXrayView(cut)).toThrow(/header/);
    expect(() => parseXrayView(answer(view({ bits: 12 }), u16Bytes(SIX_U16)))).toThrow(/layout/);
  });
});

describe("the lookup table", () => {
  it("has one gray per possible sample: 256 for 8 bits, 65536 for 16", () => {
    expect(buildLut(8, { center: 127.5, width: 256 }, false)).toHaveLength(256);
    expect(buildLut(16, { center: 2048, width: 4096 }, false)).toHaveLength(65536);
  });

  it("ramps through the window and clamps outside it", () => {
    const lut = buildLut(16, { center: 1000, width: 200 }, false);
    expect(lut[0]).toBe(0);
    expect(lut[900]).toBe(0);
    expect(lut[1000]).toBe(128);
    expect(lut[1100]).toBe(255);
    expect(lut[65535]).toBe(255);
    const identity = buildLut(8, { center: 128, width: 255 }, false);
    expect([identity[0], identity[128], identity[255]]).toEqual([0, 128, 255]);
  });

  it("inverts after the window (MONOCHROME1, or the user's toggle)", () => {
    const lut = buildLut(16, { center: 1000, width: 200 }, true);
    expect([lut[0], lut[1100], lut[65535]]).toEqual([255, 0, 0]);
  });

  it("adds brightness and multiplies contrast around the middle gray", () => {
    const win = { center: 127.5, width: 256 };
    const brighter = buildLut(8, win, false, 50);
    expect(brighter[0]).toBe(128);
    expect(brighter[200]).toBe(255);
    const flatter = buildLut(8, win, false, 0, -50);
    expect(flatter[0]).toBe(64);
    expect(flatter[255]).toBe(191);
    expect(buildLut(8, win, true, 50)[255]).toBe(128);
  });

  it("maps contrast onto a factor, 1 at 0, ×4 at 100, ×¼ at -100", () => {
    expect([contrastFactor(0), contrastFactor(100), contrastFactor(-100)]).toEqual([1, 4, 0.25]);
  });
});

describe("brightness and contrast as a window", () => {
  const file = { center: 2000, width: 1000 };

  it("narrow the window with contrast and move it with brightness", () => {
    expect(adjustedWindow(file, 0, 0, false)).toEqual(file);
    expect(adjustedWindow(file, 0, 50, false)).toEqual({ center: 2000, width: 500 });
    expect(adjustedWindow(file, 10, 0, false)).toEqual({ center: 1900, width: 1000 });
    expect(adjustedWindow(file, 10, 0, true)).toEqual({ center: 2100, width: 1000 });
  });

  it("are read back from a window", () => {
    for (const inverted of [false, true]) {
      const w = adjustedWindow(file, -30, 40, inverted);
      const bc = brightnessContrastOf(file, w, inverted);
      expect(bc.brightness).toBeCloseTo(-30, 9);
      expect(bc.contrast).toBeCloseTo(40, 9);
    }
  });

  it("show what an 8-bit image shows through its LUT, away from the clamped ends", () => {
    const win = { center: 127.5, width: 256 };
    const photo = buildLut(8, win, false, 20, 30);
    const windowed = buildLut(8, adjustedWindow(win, 20, 30, false), false);
    for (const v of [60, 100, 128, 150]) expect(Math.abs(photo[v]! - windowed[v]!), String(v)).toBeLessThanOrEqual(1);
    const photoInv = buildLut(8, win, true, 20, 30);
    const windowedInv = buildLut(8, adjustedWindow(win, 20, 30, true), true);
    for (const v of [100, 128, 180]) expect(Math.abs(photoInv[v]! - windowedInv[v]!), String(v)).toBeLessThanOrEqual(1);
  });

  it("are adjusted by window for 16-bit and DICOM images, after it for 8-bit photographs", () => {
    expect(adjustMode(view())).toBe("window");
    expect(adjustMode(view({ bits: 8 }))).toBe("window");
    expect(adjustMode(view({ bits: 16, xray: xray({ format: "tiff" }) }))).toBe("window");
    expect(adjustMode(view({ bits: 8, xray: xray({ format: "jpeg" }) }))).toBe("photo");
  });

  it("bound the sliders by the data and take in the windows in use", () => {
    expect(sampleRange(new Uint16Array([300, 5, 4000]))).toEqual({ min: 5, max: 4000 });
    expect(sampleRange(new Uint8Array([]))).toEqual({ min: 0, max: 0 });
    const bounds = windowBounds({ min: 5, max: 4000 }, file, { center: 4200.5, width: 8000 });
    expect(bounds).toEqual({ centerMin: 5, centerMax: 4201, widthMin: 1, widthMax: 8000 });
  });
});

describe("painting", () => {
  it("fills opaque gray pixels through the LUT", () => {
    const lut = buildLut(16, { center: 1000, width: 200 }, false);
    const out = new Uint8ClampedArray(3 * 4);
    paintSamples(new Uint16Array([900, 1000, 5000]), 1, lut, out);
    expect([...out]).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
    const again = new Uint8ClampedArray(3 * 4);
    paintSamples(new Uint16Array([900, 1000, 5000]), 1, lut, again, grayPixels(lut));
    expect(again).toEqual(out);
  });

  it("passes each colour channel through the LUT", () => {
    const lut = buildLut(8, { center: 127.5, width: 256 }, true);
    const out = new Uint8ClampedArray(2 * 4);
    paintSamples(new Uint8Array([0, 128, 255, 10, 20, 30]), 3, lut, out);
    expect([...out]).toEqual([255, 127, 0, 255, 245, 235, 225, 255]);
  });
});

describe("the viewer's geometry", () => {
  const image = { width: 400, height: 200 };
  const box = { width: 800, height: 800 };

  it("turns a quarter at a time either way", () => {
    expect(rotate(0, "right")).toBe(1);
    expect(rotate(3, "right")).toBe(0);
    expect(rotate(0, "left")).toBe(3);
  });

  it("fits the whole turned image in the box", () => {
    expect(fitZoom(image, 0, box)).toBe(2);
    expect(fitZoom(image, 1, box)).toBe(2);
    expect(fitZoom(image, 1, { width: 100, height: 800 })).toBe(0.5);
    expect(fitGeometry(image, 2, box)).toEqual({ zoom: 2, panX: 0, panY: 0, rotation: 2 });
  });

  it("maps image points to the canvas and back under every turn", () => {
    for (const rotation of [0, 1, 2, 3] as const) {
      const g: Geometry = { zoom: 1.5, panX: 30, panY: -20, rotation };
      for (const p of [{ x: 0, y: 0 }, { x: 400, y: 200 }, { x: 123, y: 45 }]) {
        const back = canvasToImage(imageToCanvas(p, g, image, box), g, image, box);
        expect(back.x).toBeCloseTo(p.x, 9);
        expect(back.y).toBeCloseTo(p.y, 9);
      }
    }
    const turned: Geometry = { zoom: 1, panX: 0, panY: 0, rotation: 1 };
    // A quarter turn clockwise puts the image's top left corner at the top right.
    expect(imageToCanvas({ x: 0, y: 0 }, turned, image, box)).toEqual({ x: 500, y: 200 });
  });

  it("zooms around the point under the mouse", () => {
    const g: Geometry = { zoom: 2, panX: 0, panY: 0, rotation: 0 };
    const at = { x: 700, y: 500 };
    const under = canvasToImage(at, g, image, box);
    const zoomed = zoomAt(g, 3, image, box, at);
    expect(zoomed.zoom).toBe(6);
    const still = imageToCanvas(under, zoomed, image, box);
    expect(still.x).toBeCloseTo(at.x, 9);
    expect(still.y).toBeCloseTo(at.y, 9);
    expect(zoomAt(g, 1000, image, box).zoom).toBe(32);
  });

  it("pans only where the image is larger than the box, never past its edges", () => {
    const fit: Geometry = { zoom: 2, panX: 50, panY: 50, rotation: 0 };
    expect(clampPan(fit, image, box)).toEqual({ ...fit, panX: 0, panY: 0 });
    expect(canPan(fit, image, box)).toBe(false);
    const big: Geometry = { zoom: 4, panX: 1000, panY: -1000, rotation: 0 };
    expect(clampPan(big, image, box)).toEqual({ ...big, panX: 400, panY: 0 });
    expect(canPan(big, image, box)).toBe(true);
    expect(clampPan({ ...big, rotation: 1 }, image, box)).toEqual({ ...big, rotation: 1, panX: 0, panY: -400 });
  });
});

describe("measurements", () => {
  it("are in mm when the image is calibrated, else in pixels only", () => {
    const calibrated = measure({ x: 0, y: 0 }, { x: 30, y: 40 }, 0.1);
    expect(calibrated.pixels).toBe(50);
    expect(calibrated.mm).toBeCloseTo(5, 9);
    expect(measure({ x: 0, y: 0 }, { x: 30, y: 40 }, null)).toEqual({ pixels: 50, mm: null });
    expect(measure({ x: 0, y: 0 }, { x: 30, y: 40 }, 0).mm).toBeNull();
  });
});

describe("the viewer's keys", () => {
  it("zoom, fit, turn, invert, close and pan", () => {
    expect(["+", "=", "-", "0", "r", "R", "i", "Escape", "ArrowUp", "x"].map(viewerKeyAction)).toEqual([
      "zoomIn",
      "zoomIn",
      "zoomOut",
      "fit",
      "rotateRight",
      "rotateLeft",
      "invert",
      "close",
      "panUp",
      null,
    ]);
  });
});

describe("facts shown", () => {
  it("write DICOM dates and names for people", () => {
    expect(dicomDate("20261120")).toBe("2026-11-20");
    expect(dicomDate("2026")).toBe("2026");
    expect(dicomDate(null)).toBeNull();
    expect(dicomName("POP^ANA^^DR")).toBe("POP ANA DR");
    expect(dicomName("^^")).toBeNull();
  });

  it("write file sizes in B, KB or MB", () => {
    expect(formatFileSize(900, "en")).toBe("900 B");
    expect(formatFileSize(4096, "en")).toBe("4 KB");
    expect(formatFileSize(3.5 * 1024 * 1024, "en")).toBe("3.5 MB");
    expect(formatFileSize(3.5 * 1024 * 1024, "ro")).toBe("3,5 MB");
  });

  it("offer every other image for comparison", () => {
    const all = [xray({ id: "a" }), xray({ id: "b" }), xray({ id: "c" })];
    expect(compareChoices(all, "b").map((x) => x.id)).toEqual(["a", "c"]);
  });
});
