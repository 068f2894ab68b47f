import ExcelJS from 'exceljs';
import { plainChineseDate } from './dates';
import { clueRates } from './clue-metrics';

/** A calendar quarter: its name (2026Q3) and first and last days. */
export interface Quarter {
  quarter: string;
  start: string;
  end: string;
}

const QUARTER = /^(\d{4})Q([1-4])$/;
const QUARTER_NAMES = ['一', '二', '三', '四'];

/** Whether a text names a quarter (2026Q3). */
export function isQuarter(text: string): boolean {
  return QUARTER.test(text);
}

/** The quarter a name says (2026Q3 → 2026-07-01 … 2026-09-30). */
export function quarterNamed(name: string): Quarter {
  const match = QUARTER.exec(name);
  if (!match) throw new RangeError(`"${name}" names no quarter (e.g. 2026Q3)`);
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastDay = new Date(Date.UTC(year, index * 3 + 3, 0)).getUTCDate();
  return { quarter: name, start: `${year}-${pad(index * 3 + 1)}-01`, end: `${year}-${pad(index * 3 + 3)}-${pad(lastDay)}` };
}

/** The quarter before the one a date falls in: what a summary made on that day reports. */
export function quarterBefore(date: string): Quarter {
  const year = Number(date.slice(0, 4));
  const index = Math.floor((Number(date.slice(5, 7)) - 1) / 3);
  return quarterNamed(index === 0 ? `${year - 1}Q4` : `${year}Q${index}`);
}

/** A quarter as people read it: 2026Q3 → 2026年第三季度. */
export function quarterLabel(quarter: string): string {
  const match = QUARTER.exec(quarter);
  return match ? `${match[1]}年第${QUARTER_NAMES[Number(match[2]) - 1]}季度` : quarter;
}

/**
 * How a quarterly summary counts, for people (written once; the SQL in ClueSummaryRepository
 * follows it). Restricted clues are counted but not listed.
 */
export const CLUE_SUMMARY_RULES =
  '统计范围：本轮移交、季度末以前受理的问题线索（限制知悉范围的线索只计数、不列明细）。累计受理：季度末以前受理的；本季度受理：季度内受理的；' +
  '累计办结：季度末以前销号的；本季度办结：季度内销号的；立案：累计办结中已立案的；办结率 = 累计办结 ÷ 累计受理；成案率 = 立案 ÷ 累计办结；' +
  '反馈逾期：截至汇总日在办且向巡察办反馈期限已过的。明细中的办理状态为汇总日的状态。';

/** The counts a summary reports (stored with their rates, see summaryFigures). */
export interface SummaryFigures {
  received: number;
  receivedInQuarter: number;
  closed: number;
  closedInQuarter: number;
  filed: number;
  feedbackOverdue: number;
  /** Restricted clues: counted above, their lines not listed. */
  restricted: number;
}

/** One clue's line in a summary, already in words (no summary, persons or texts: a summary never holds them). */
export interface SummaryLine {
  number: string;
  unit: string;
  office: string;
  category: string;
  receivedOn: string;
  status: string;
  disposition: string;
  feedbackCount: number;
  feedbackDue: string | null;
  filedOn: string | null;
  closedOn: string | null;
  closeOutcome: string;
}

export interface SummaryWorkbookInput {
  authority: string;
  roundName: string;
  quarter: Quarter;
  asOf: string;
  figures: SummaryFigures;
  lines: SummaryLine[];
}

/** The figures with their rates (办结率, 成案率), as stored beside a summary. */
export function summaryFigures(figures: SummaryFigures): SummaryFigures & { completionRate: number | null; filingRate: number | null } {
  return { ...figures, ...clueRates(figures) };
}

const LINE_COLUMNS: Array<{ header: string; width: number }> = [
  { header: '序号', width: 6 },
  { header: '线索编号', width: 18 },
  { header: '被巡察单位', width: 20 },
  { header: '承办部门', width: 22 },
  { header: '问题类别', width: 12 },
  { header: '受理日期', width: 12 },
  { header: '办理状态', width: 10 },
  { header: '处置方式', width: 12 },
  { header: '已反馈次数', width: 10 },
  { header: '下次反馈期限', width: 14 },
  { header: '立案日期', width: 12 },
  { header: '销号日期', width: 12 },
  { header: '办结方式', width: 16 },
];

/**
 * A round's quarterly summary as an .xlsx workbook: a sheet of figures (with the counting rules)
 * and a sheet of ledger lines, A4 landscape. It holds no summary, person or text of a clue.
 */
export async function summaryWorkbook(input: SummaryWorkbookInput): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = input.authority;
  workbook.created = new Date(`${input.asOf}T09:00:00+08:00`);
  const title = `${input.roundName}移交问题线索办理情况汇总表（${quarterLabel(input.quarter.quarter)}）`;
  const pageSetup = { paperSize: 9, orientation: 'landscape' as const, fitToPage: true, fitToWidth: 1, fitToHeight: 0 };

  const figures = workbook.addWorksheet('汇总', { pageSetup });
  figures.columns = [{ width: 28 }, { width: 16 }];
  figures.addRow([title]).font = { bold: true, size: 14 };
  figures.mergeCells(1, 1, 1, 2);
  figures.addRow([`统计期间：${plainChineseDate(input.quarter.start)}至${plainChineseDate(input.quarter.end)}；汇总日：${plainChineseDate(input.asOf)}`]);
  figures.mergeCells(2, 1, 2, 2);
  figures.addRow([]);
  figures.addRow(['项目', '数值']).font = { bold: true };
  const { completionRate, filingRate } = clueRates(input.figures);
  const rate = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)}%`);
  const rows: Array<[string, number | string]> = [
    ['累计受理（件）', input.figures.received],
    ['本季度受理（件）', input.figures.receivedInQuarter],
    ['累计办结（件）', input.figures.closed],
    ['本季度办结（件）', input.figures.closedInQuarter],
    ['立案（件）', input.figures.filed],
    ['办结率', rate(completionRate)],
    ['成案率', rate(filingRate)],
    ['反馈逾期（件）', input.figures.feedbackOverdue],
    ['其中限制知悉范围（件，不列明细）', input.figures.restricted],
  ];
  for (const row of rows) figures.addRow(row);
  figures.addRow([]);
  const rules = figures.addRow([`说明：${CLUE_SUMMARY_RULES}`]);
  figures.mergeCells(rules.number, 1, rules.number, 2);
  rules.alignment = { wrapText: true, vertical: 'top' };
  rules.height = 90;
  figures.addRow([`报送单位：${input.authority}`]);

  const lines = workbook.addWorksheet('线索明细', { views: [{ state: 'frozen', ySplit: 1 }], pageSetup });
  lines.columns = LINE_COLUMNS.map((column) => ({ header: column.header, width: column.width }));
  lines.getRow(1).font = { bold: true };
  input.lines.forEach((line, index) => {
    lines.addRow([
      index + 1,
      line.number,
      line.unit,
      line.office,
      line.category,
      line.receivedOn,
      line.status,
      line.disposition,
      line.feedbackCount,
      line.feedbackDue ?? '',
      line.filedOn ?? '',
      line.closedOn ?? '',
      line.closeOutcome,
    ]).alignment = { vertical: 'top', wrapText: true };
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
