import ExcelJS from 'exceljs';
import type { ClueLineDto, CluePersonDto } from './clues.dto';

/** What a caller outside a clue's circle sees in place of its details. */
export const MASKED = '（无权查看）';

/** A ledger line for the workbook: the details when the caller may read them, else masked. */
export interface WorkbookRow {
  line: ClueLineDto;
  details: { summary: string; persons: CluePersonDto[] } | null;
}

const COLUMNS: Array<{ header: string; width: number }> = [
  { header: '序号', width: 6 },
  { header: '线索编号', width: 18 },
  { header: '巡察轮次', width: 24 },
  { header: '被巡察单位', width: 18 },
  { header: '承办部门', width: 24 },
  { header: '问题类别', width: 12 },
  { header: '受理日期', width: 12 },
  { header: '办理状态', width: 10 },
  { header: '承办人', width: 12 },
  { header: '登记人', width: 12 },
  { header: '问题摘要', width: 48 },
  { header: '涉及人员', width: 32 },
];

/** The clue ledger as an .xlsx workbook with Chinese headers, one sheet, details masked where the caller may not read them. */
export async function ledgerWorkbook(rows: WorkbookRow[], generatedAt: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '巡察工作平台';
  workbook.created = new Date(generatedAt);
  const sheet = workbook.addWorksheet('线索台账', { views: [{ state: 'frozen', ySplit: 1 }], pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = COLUMNS.map((column) => ({ header: column.header, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  rows.forEach(({ line, details }, index) => {
    const row = sheet.addRow([
      index + 1,
      line.number,
      line.round.name,
      line.unit.name,
      line.office.name,
      line.categoryName,
      line.receivedOn,
      line.statusName,
      line.owner ?? '',
      line.registeredBy,
      details ? details.summary : MASKED,
      details ? details.persons.map((person) => (person.position ? `${person.name}（${person.position}）` : person.name)).join('；') : MASKED,
    ]);
    row.alignment = { vertical: 'top', wrapText: true };
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
