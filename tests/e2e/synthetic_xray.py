"""A synthetic periapical radiograph as a 16-bit DICOM file, for the end-to-end tests.

Pure Python (struct, array, random): no third-party package. The picture is a lower
left posterior film as a sensor would take it, crowns up: the second premolar at the
left edge, the first molar with a small occlusal caries, the second molar with a bright
occlusal restoration; enamel caps over dentine, pulp chambers and canals down the
roots, the periodontal ligament space and lamina dura around the roots, alveolar bone
with a trabecular texture, the mandibular canal near the bottom, soft tissue and air
above the crowns, then a slight blur, quantum noise and the fall-off of the beam.

The file: preamble, "DICM", a file meta group (group length, version, SOP class
Intra-oral X-Ray Image for Presentation, instance UID, Explicit VR Little Endian,
implementation class UID), then the data set: patient name and ID, study date,
modality IO, the image pixel module (12 bits stored in 16 allocated, MONOCHROME2),
pixel spacing, window centre and width, and the pixel data (OW). Deterministic: the
same seed gives the same bytes.
"""

import math
import pathlib
import random
import struct
from array import array

SOP_CLASS = "1.2.840.10008.5.1.4.1.1.1.3"  # Digital Intra-oral X-Ray Image Storage, for presentation
EXPLICIT_LE = "1.2.840.10008.1.2.1"
IMPLEMENTATION_CLASS = "1.2.826.0.1.3680043.10.1179.1"
IMPLEMENTATION_VERSION = "CUSPID_E2E_1"
MAX_VALUE = 4095  # 12 bits stored
WINDOW = (2000, 3400)  # the file's window centre and width, in stored values


# ---- the picture ----------------------------------------------------------------------


def _smoothstep(e0, e1, x):
    if x <= e0:
        return 0.0
    if x >= e1:
        return 1.0
    t = (x - e0) / (e1 - e0)
    return t * t * (3.0 - 2.0 * t)


def _smooth_max(a, b, k):
    """The larger of two depths, the corner where two shapes meet rounded over `k` pixels."""
    h = max(k - abs(a - b), 0.0) / k
    return max(a, b) + h * h * k * 0.25


class _ValueNoise:
    """Smooth noise in [0, 1]: random values on a grid, eased between."""

    def __init__(self, rng, width, height, cell):
        self.cell = cell
        # Room for coordinates stretched a little beyond the image.
        self.cols = int(width * 1.25) // cell + 2
        rows = int(height * 1.25) // cell + 2
        self.grid = [rng.random() for _ in range(self.cols * rows)]

    def at(self, x, y):
        fx, fy = x / self.cell, y / self.cell
        ix, iy = int(fx), int(fy)
        tx, ty = fx - ix, fy - iy
        tx = tx * tx * (3.0 - 2.0 * tx)
        ty = ty * ty * (3.0 - 2.0 * ty)
        g, c = self.grid, self.cols
        i = iy * c + ix
        top = g[i] + (g[i + 1] - g[i]) * tx
        bottom = g[i + c] + (g[i + c + 1] - g[i + c]) * tx
        return top + (bottom - top) * ty


class _Root:
    """A tapered root down a gently curved centre line, with a rounded apex, and its canal."""

    def __init__(self, x0, y0, x1, y1, w0, w1, curve=0.0):
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
        self.w0, self.w1, self.curve = w0, w1, curve
        self.entry = None  # where the canal leaves the pulp chamber, set by the tooth

    def centre(self, y):
        s = min(1.0, max(0.0, (y - self.y0) / (self.y1 - self.y0)))
        return self.x0 + (self.x1 - self.x0) * s + self.curve * math.sin(math.pi * s), s

    def span(self, y):
        """The root's left and right sides at a height within it."""
        cx, s = self.centre(y)
        half = self.w0 + (self.w1 - self.w0) * s**0.8
        return cx - half, cx + half

    def depth(self, x, y):
        """Pixels inside the root's outline (negative outside)."""
        cx, s = self.centre(y)
        if y < self.y0:
            return self.w0 - math.hypot(x - cx, self.y0 - y)  # a rounded top, blended in
        if y <= self.y1:
            half = self.w0 + (self.w1 - self.w0) * s**0.8
            return half - abs(x - cx)
        return self.w1 - math.hypot(x - cx, y - self.y1)

    def canal(self, x, y):
        """Pixels inside the root canal: from the chamber's floor down the root, narrowing,
        stopping just short of the apex."""
        ex, ey = self.entry
        if y < ey or y > self.y1 - 7:
            return -1e9
        join = self.y0 + 0.18 * (self.y1 - self.y0)
        cx, s = self.centre(max(y, join))
        if y < join:
            jx, _ = self.centre(join)
            cx = ex + (jx - ex) * (y - ey) / (join - ey)
        return (3.6 * (1.0 - s) + 1.3) - abs(x - cx)


class _Tooth:
    """A crown seen from the cheek (an occlusal table with cusps, widest a third of the way
    down, narrowing to the neck), the root trunk with a rounded furcation, the roots, and
    the pulp: a chamber with horns under the cusps and the canals."""

    def __init__(self, cx, top, crown_half_width, crown_height, roots, furcation=None, cusps=3):
        self.cx, self.top = cx, top
        self.a = crown_half_width
        self.cej = top + crown_height
        self.cusps = cusps
        self.roots = roots
        self.furcation = furcation
        self.chamber = (cx, top + 0.68 * crown_height, self.a * 0.34, crown_height * 0.17)
        floor = self.chamber[1] + self.chamber[3] * 0.8
        for r in roots:
            r.entry = (cx + (r.x0 - cx) * 0.55, floor)
        self.left = cx - self.a - 4
        self.right = cx + self.a + 4
        self.bottom = max(r.y1 + r.w1 for r in roots) + 2
        for r in roots:
            self.left = min(self.left, min(r.x0, r.x1) - r.w0 - abs(r.curve) - 14)
            self.right = max(self.right, max(r.x0, r.x1) + r.w0 + abs(r.curve) + 14)

    def _outline(self, x, y):
        """(depth from the sides, depth from the occlusal surface, t down the crown)."""
        t = (y - self.top) / (self.cej - self.top)
        if t < 0.33:
            half = self.a * (0.90 + 0.10 * math.sin(t / 0.33 * math.pi / 2))
        else:
            half = self.a * (1.0 - 0.24 * ((t - 0.33) / 0.67) ** 1.4)
        u = (x - self.cx) / self.a
        # The occlusal outline: cusps and fissures, rounding down at the marginal ridges.
        cusp = 5.0 * (0.5 - 0.5 * math.cos(u * math.pi * self.cusps))
        y_top = self.top + cusp + 34.0 * max(0.0, abs(u) - 0.62) ** 2 / 0.38**2
        return half - abs(x - self.cx), y - y_top, t

    def crown_depth(self, x, y):
        if y > self.cej + 2:
            return -1e9
        side, occlusal, _ = self._outline(x, y)
        return min(side, occlusal)

    def trunk_depth(self, x, y):
        if y < self.cej - 10:
            return -1e9
        bottom = self.furcation if self.furcation is not None else self.cej + 30
        dx = x - self.cx
        # The sides: from the neck's width to the roots' outer edges, never beyond them.
        left, right = self.cx - self.a * 0.76, self.cx + self.a * 0.76
        if all(y > r.y0 for r in self.roots):
            left = max(left, min(r.span(y)[0] for r in self.roots))
            right = min(right, max(r.span(y)[1] for r in self.roots))
        # The furcation: the roof of the space between the roots is an arch.
        arch = min(bottom + 70.0 * (dx / (0.55 * self.a)) ** 2, bottom + 40.0)
        return min(x - left, right - x, arch - y)

    def body_depth(self, x, y):
        d = _smooth_max(self.crown_depth(x, y), self.trunk_depth(x, y), 8.0)
        for r in self.roots:
            d = _smooth_max(d, r.depth(x, y), 14.0)
        return d

    def enamel(self, x, y):
        """Inside the crown, whether (x, y) is enamel: thickest over the cusps, thinning to
        nothing at the neck."""
        if y >= self.cej:
            return False
        side, occlusal, t = self._outline(x, y)
        return occlusal < 40.0 * (1.0 - 0.5 * t) or side < 24.0 * (1.0 - t) ** 0.8

    def pulp_depth(self, x, y):
        ccx, ccy, ax, by = self.chamber
        dy = y - ccy
        if dy < 0:
            # Two horns reaching up under the cusps.
            horn = math.exp(-(((abs(x - ccx) - ax * 0.7) / (ax * 0.28)) ** 2))
            dy = dy / (1.0 + 0.45 * horn)
        g = ((abs(x - ccx) / ax) ** 2.4 + (abs(dy) / by) ** 2.4) ** (1.0 / 2.4)
        d = (1.0 - g) * by
        for r in self.roots:
            d = max(d, r.canal(x, y))
        return d


def _teeth():
    # A lower second premolar (cut by the left edge), first and second molars.
    premolar = _Tooth(
        cx=90,
        top=150,
        crown_half_width=66,
        crown_height=132,
        roots=[_Root(92, 270, 100, 548, 48, 8, curve=4)],
        cusps=2,
    )
    first_molar = _Tooth(
        cx=352,
        top=124,
        crown_half_width=112,
        crown_height=150,
        roots=[
            _Root(300, 290, 276, 534, 36, 9, curve=-10),
            _Root(404, 290, 424, 522, 35, 9, curve=-6),
        ],
        furcation=318,
    )
    second_molar = _Tooth(
        cx=622,
        top=134,
        crown_half_width=104,
        crown_height=146,
        roots=[
            _Root(578, 295, 574, 512, 34, 9, curve=-6),
            _Root(666, 295, 650, 500, 33, 9, curve=-8),
        ],
        furcation=335,
    )
    return premolar, first_molar, second_molar


def first_molar_crown_width():
    """The two ends of the first molar's crown at its widest (image pixels, x and y):
    a third of the way down from the cusps, 224 px apart, 11.2 mm at 0.05 mm a pixel."""
    molar = _teeth()[1]
    y = round(molar.top + 0.33 * (molar.cej - molar.top))
    return (molar.cx - molar.a, y), (molar.cx + molar.a, y)


def render_periapical(width=800, height=600, seed=36):
    """The radiograph's 12-bit samples, row by row (an array of unsigned 16-bit values)."""
    rng = random.Random(seed)
    fine = _ValueNoise(rng, width, height, 6)
    medium = _ValueNoise(rng, width, height, 11)
    coarse = _ValueNoise(rng, width, height, 60)
    teeth = _teeth()
    premolar, first_molar, second_molar = teeth
    gaps = [(premolar.cx + premolar.a + first_molar.cx - first_molar.a) / 2,
            (first_molar.cx + first_molar.a + second_molar.cx - second_molar.a) / 2,
            second_molar.cx + second_molar.a + 40]

    # Exposure in arbitrary units, later scaled to 12 bits: air ~0.06, soft tissue ~0.25,
    # bone ~0.4-0.55, dentine ~0.62, enamel ~0.82, a metallic restoration ~0.97.
    values = [0.0] * (width * height)
    crest_of = []
    for x in range(width):
        # The alveolar crest: about 1.5 mm under the necks, peaking in the septa between teeth.
        c = 318.0 + 6.0 * math.sin(x / 47.0)
        for g in gaps:
            c -= 22.0 * math.exp(-(((x - g) / 38.0) ** 2))
        crest_of.append(c)
    for y in range(height):
        soft = 0.05 + 0.22 * _smoothstep(70.0, 300.0, y)
        row = y * width
        for x in range(width):
            crest = crest_of[x]
            v = soft
            bone = _smoothstep(crest - 8.0, crest + 14.0, y)
            if bone > 0.0:
                # Trabeculae: bright struts around dark marrow spaces, a little stretched
                # along the jaw, denser towards the base.
                r1 = 1.0 - abs(2.0 * fine.at(x * 0.8, y * 1.15) - 1.0)
                r2 = 1.0 - abs(2.0 * medium.at(x, y) - 1.0)
                trabeculae = 0.5 * r1**5 + 0.5 * r2**3
                density = 0.37 + 0.08 * coarse.at(x, y) + 0.13 * trabeculae
                density += 0.05 * _smoothstep(330.0, 590.0, y)
                # The mandibular canal: a dark band between thin bright cortical borders.
                canal_y = 576.0 + 0.04 * (x - 400.0) + 5.0 * math.sin(x / 150.0)
                dc = abs(y - canal_y)
                if dc < 10.0:
                    density -= 0.12 * (1.0 - (dc / 10.0) ** 2)
                elif dc < 13.5:
                    density += 0.05
                v = soft + (density - soft) * bone

            # The teeth over it, with the ligament space and the lamina dura around the roots.
            for tooth in teeth:
                if x < tooth.left or x > tooth.right or y < tooth.top - 4 or y > tooth.bottom:
                    continue
                d = tooth.body_depth(x, y)
                if d < -10.0:
                    continue
                if d < 0.0:
                    if bone > 0.3:
                        if d > -3.0:
                            v -= 0.08 * bone  # ligament space
                        elif d > -7.5:
                            v += 0.07 * bone  # lamina dura
                    continue
                cover = min(1.0, d / 1.5)
                if tooth.enamel(x, y):
                    m = 0.80 + 0.04 * fine.at(x * 0.5, y * 0.5)
                else:
                    m = 0.60 + 0.03 * medium.at(x, y)
                    if y > tooth.cej:
                        m += 0.05 * bone  # the root seen through the bone around it
                p = tooth.pulp_depth(x, y)
                if p > 0.0:
                    m -= (m - (0.36 + 0.05 * bone)) * min(1.0, p / 1.5)
                if tooth is first_molar:
                    # Occlusal caries: a radiolucency under a fissure, through the enamel
                    # and spreading along the dentine.
                    cd = ((x - 334.0) / (9.0 + 0.35 * max(0.0, y - 124.0))) ** 2 + ((y - 160.0) / 34.0) ** 2
                    if cd < 1.0:
                        m -= 0.20 * (1.0 - cd) ** 0.7
                if tooth is second_molar:
                    # An occlusal restoration, metal-bright, with a thin liner under it.
                    rd = (abs(x - 628.0) / 46.0) ** 2.6 + (abs(y - 140.0) / 44.0) ** 2.6
                    wobble = 0.04 * math.sin(x / 5.0)
                    if rd < 1.0 + wobble:
                        m = 0.97
                    elif rd < 1.16 + wobble and y > 140.0:
                        m -= 0.10
                v = v + (m - v) * cover
            values[row + x] = v

    # Slight blur (the sensor's and the focal spot's), two passes of a 3-pixel box.
    for _ in range(2):
        values = _blur_rows(values, width, height)
        values = _blur_columns(values, width, height)

    # Fall-off towards the edges, the sensor's rounded corners, quantum noise.
    out = array("H", bytes(2 * width * height))
    cx, cy = width / 2.0, height / 2.0
    corner = 38.0
    gauss = rng.gauss
    for y in range(height):
        for x in range(width):
            nx, ny = (x - cx) / cx, (y - cy) / cy
            v = values[y * width + x] * (1.0 - 0.16 * (nx * nx + ny * ny)) * (1.0 - 0.05 * (y / height))
            v = v * MAX_VALUE + gauss(0.0, 22.0 + 18.0 * v)
            qx = min(x, width - 1 - x)
            qy = min(y, height - 1 - y)
            if qx < corner and qy < corner and math.hypot(corner - qx, corner - qy) > corner:
                v = 40.0 + gauss(0.0, 6.0)
            out[y * width + x] = int(min(MAX_VALUE, max(0.0, v)))
    return out


def _blur_rows(values, width, height):
    out = [0.0] * len(values)
    for y in range(height):
        row = y * width
        out[row] = (2 * values[row] + values[row + 1]) / 3.0
        for x in range(1, width - 1):
            i = row + x
            out[i] = (values[i - 1] + values[i] + values[i + 1]) / 3.0
        out[row + width - 1] = (values[row + width - 2] + 2 * values[row + width - 1]) / 3.0
    return out


def _blur_columns(values, width, height):
    out = list(values)
    for y in range(1, height - 1):
        above, row, below = (y - 1) * width, y * width, (y + 1) * width
        for x in range(width):
            out[row + x] = (values[above + x] + values[row + x] + values[below + x]) / 3.0
    return out


# ---- the DICOM file -------------------------------------------------------------------

_LONG_VRS = {"OB", "OW", "OF", "OD", "OL", "OV", "SQ", "UT", "UN", "UC", "UR"}


def _pad(vr, value: bytes) -> bytes:
    if len(value) % 2:
        value += b"\0" if vr in ("UI", "OB") else b" "
    return value


def _element(group, element, vr, value: bytes) -> bytes:
    value = _pad(vr, value)
    head = struct.pack("<HH", group, element) + vr.encode("ascii")
    if vr in _LONG_VRS:
        return head + b"\0\0" + struct.pack("<I", len(value)) + value
    return head + struct.pack("<H", len(value)) + value


def _us(group, element, n):
    return _element(group, element, "US", struct.pack("<H", n))


def dicom_bytes(
    samples,
    width,
    height,
    *,
    patient_name,
    patient_id,
    study_date,
    instance_uid,
    window=WINDOW,
    spacing_mm="0.05",
    frames=1,
) -> bytes:
    """An Explicit VR Little Endian DICOM file holding 16-bit samples (12 stored), in
    `frames` frames one after the other."""
    meta = b"".join(
        [
            _element(0x0002, 0x0001, "OB", b"\x00\x01"),
            _element(0x0002, 0x0002, "UI", SOP_CLASS.encode()),
            _element(0x0002, 0x0003, "UI", instance_uid.encode()),
            _element(0x0002, 0x0010, "UI", EXPLICIT_LE.encode()),
            _element(0x0002, 0x0012, "UI", IMPLEMENTATION_CLASS.encode()),
            _element(0x0002, 0x0013, "SH", IMPLEMENTATION_VERSION.encode()),
        ]
    )
    pixel_data = array("H", samples)
    if pixel_data.itemsize != 2:
        raise ValueError("unsigned short is not 16 bits here")
    if struct.pack("=H", 1) != struct.pack("<H", 1):
        pixel_data.byteswap()
    data = b"".join(
        [
            _element(0x0008, 0x0016, "UI", SOP_CLASS.encode()),
            _element(0x0008, 0x0018, "UI", instance_uid.encode()),
            _element(0x0008, 0x0020, "DA", study_date.encode()),
            _element(0x0008, 0x0060, "CS", b"IO"),
            _element(0x0008, 0x0070, "LO", b"Cuspid synthetic sensor"),
            _element(0x0010, 0x0010, "PN", patient_name.encode()),
            _element(0x0010, 0x0020, "LO", patient_id.encode()),
            _element(0x0020, 0x000D, "UI", (instance_uid + ".1").encode()),
            _element(0x0020, 0x000E, "UI", (instance_uid + ".2").encode()),
            _us(0x0028, 0x0002, 1),
            _element(0x0028, 0x0004, "CS", b"MONOCHROME2"),
            *([_element(0x0028, 0x0008, "IS", str(frames).encode())] if frames > 1 else []),
            _us(0x0028, 0x0010, height),
            _us(0x0028, 0x0011, width),
            _element(0x0028, 0x0030, "DS", f"{spacing_mm}\\{spacing_mm}".encode()),
            _us(0x0028, 0x0100, 16),
            _us(0x0028, 0x0101, 12),
            _us(0x0028, 0x0102, 11),
            _us(0x0028, 0x0103, 0),
            _element(0x0028, 0x1050, "DS", f"{window[0]:g}".encode()),
            _element(0x0028, 0x1051, "DS", f"{window[1]:g}".encode()),
            _element(0x7FE0, 0x0010, "OW", pixel_data.tobytes()),
        ]
    )
    group_length = _element(0x0002, 0x0000, "UL", struct.pack("<I", len(meta)))
    return b"\0" * 128 + b"DICM" + group_length + meta + data


def write_series(path, frames=3, width=200, height=150) -> pathlib.Path:
    """A multi-frame file: the periapical scene from `frames` angles (seeds), small."""
    samples = [v for seed in range(frames) for v in render_periapical(width, height, 40 + seed)]
    body = dicom_bytes(
        samples,
        width,
        height,
        patient_name="VLADUTESCU^STEFAN",
        patient_id="ZMB-000042",
        study_date="20261126",
        instance_uid="1.2.826.0.1.3680043.10.1179.3.1",
        frames=frames,
    )
    path = pathlib.Path(path)
    path.write_bytes(body)
    return path


def write_periapical(
    path,
    *,
    seed=36,
    width=800,
    height=600,
    patient_name="VLADUTESCU^STEFAN",
    patient_id="ZMB-000042",
    study_date="20261126",
) -> pathlib.Path:
    """Write the synthetic periapical radiograph to `path` (a .dcm file) and return the path."""
    samples = render_periapical(width, height, seed)
    body = dicom_bytes(
        samples,
        width,
        height,
        patient_name=patient_name,
        patient_id=patient_id,
        study_date=study_date,
        instance_uid=f"1.2.826.0.1.3680043.10.1179.2.{seed}",
        window=WINDOW,
    )
    path = pathlib.Path(path)
    path.write_bytes(body)
    return path


if __name__ == "__main__":
    import sys

    print(write_periapical(sys.argv[1] if len(sys.argv) > 1 else "synthetic-periapical.dcm"))
