// Draws the toolbar icon (an eye: "témoin" means witness) into public/icon/*.png.
// Dependency-free PNG encoder; run once with `node dev/gen-icons.mjs` when the design changes.
import fs from 'node:fs';
import zlib from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

function icon(size) {
  const rows = [];
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    const row = [0];
    for (let x = 0; x < size; x++) {
      const nx = (x - c) / (size / 2);
      const ny = (y - c) / (size / 2);
      const r = Math.hypot(nx, ny);
      // rounded square background
      const sq = Math.max(Math.abs(nx), Math.abs(ny));
      let px = [0, 0, 0, 0];
      if (sq < 0.95 && Math.hypot(Math.max(Math.abs(nx) - 0.6, 0), Math.max(Math.abs(ny) - 0.6, 0)) < 0.35) px = [0x0b, 0x4f, 0x9c, 255];
      // eye: almond shape
      const eye = Math.abs(ny) < 0.45 * (1 - nx * nx) && Math.abs(nx) < 0.8;
      if (eye) px = [255, 255, 255, 255];
      if (r < 0.26) px = [0x0b, 0x4f, 0x9c, 255];
      if (r < 0.11) px = [0xf2, 0x8c, 0x28, 255];
      row.push(...px);
    }
    rows.push(Buffer.from(row));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

fs.mkdirSync('public/icon', { recursive: true });
for (const s of [16, 32, 48, 128]) fs.writeFileSync(`public/icon/${s}.png`, icon(s));
