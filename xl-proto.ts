import ExcelJS from 'exceljs';
import { createWriteStream } from 'node:fs';
const N = Number(process.argv[2] ?? 200000);
const t = Date.now();
let peak = 0; const iv = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream('/tmp/x.xlsx'), useStyles: true, useSharedStrings: false });
const ws = wb.addWorksheet('Tổng hợp', { views: [{ state: 'frozen', ySplit: 1 }] });
ws.columns = [ { width: 14 }, { width: 40 }, { width: 12 }, { width: 12 }, { width: 18 }, { width: 8 }, { width: 14 }, { width: 70 } ];
const S = [{}, {}, {}, { numFmt: 'dd/mm/yyyy' }, { numFmt: 'dd/mm/yyyy hh:mm' }, {}, { numFmt: '#,##0' }, {}];
ws.addRow(['Mã đơn vị','Tên đơn vị','Tình trạng','Hạn nộp','Thời điểm nộp','Số tệp','Dung lượng','SHA-256']).commit();
for (let i = 0; i < N; i++) {
  const r = ws.addRow([`cb-${i}`, `Chi bộ số ${i}, Phòng Kế hoạch`, i % 3 ? 'Đúng hạn' : 'Trễ hạn', new Date(Date.UTC(2026, 11, 15)), new Date(Date.UTC(2026, 11, 10, 9, 30)), 2, 123456 + i, 'a'.repeat(64)]);
  for (let c = 0; c < 8; c++) r.getCell(c + 1).style = S[c] as any;
  r.commit(); if (process.argv[3] && i % Number(process.argv[3]) === 0) await new Promise((r) => setImmediate(r));
}
ws.commit();
await wb.commit();
clearInterval(iv);
console.log('ms', Date.now() - t, 'peakMB', Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20));
