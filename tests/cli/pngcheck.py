#!/usr/bin/python3
# pngcheck.py PNG COLOUR... - for the browser test: decode a screenshot (8-bit
# RGB or RGBA, not interlaced; the standard library only) and print its
# width, height, number of distinct colours, and for each #rrggbb COLOUR
# how many pixels are within a small distance of it.
import collections, struct, sys, zlib
def pixels(path):
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    pos, idat, hdr = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            hdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    assert depth == 8 and ctype in (2, 6) and interlace == 0, 'unexpected PNG format %r' % (hdr,)
    bpp = 3 if ctype == 2 else 4
    raw, stride, prev, rows = zlib.decompress(idat), w * bpp, bytearray(w * bpp), []
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 0 or (f == 2 and not any(prev)):
            rows.append(line); prev = line; continue
        if f == 2:
            # Bytewise (line + prev) mod 256 on whole rows at once.
            n, hi = len(line), int.from_bytes(b'\x80' * len(line), 'big')
            x, b = int.from_bytes(line, 'big'), int.from_bytes(prev, 'big')
            s = ((x & ~hi) + (b & ~hi)) ^ ((x ^ b) & hi)
            line = bytearray(s.to_bytes(n, 'big')); rows.append(line); prev = line; continue
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line); prev = line
    return w, h, bpp, rows
w, h, bpp, rows = pixels(sys.argv[1])
want = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in sys.argv[2:]]
colours = collections.Counter()
for line in rows:
    colours.update(zip(line[0::bpp], line[1::bpp], line[2::bpp]))
counts = [sum(n for px, n in colours.items() if sum(abs(px[i] - c[i]) for i in range(3)) <= 30)
          for c in want]
print(w, h, len(colours), *counts)
