import ExcelJS from 'exceljs';
import { isQuarter, quarterBefore, quarterLabel, quarterNamed, summaryFigures, summaryWorkbook } from './clue-summary';

describe('quarters', () => {
  it('names a quarter’s first and last days, February and leap years included', () => {
    expect(quarterNamed('2026Q1')).toEqual({ quarter: '2026Q1', start: '2026-01-01', end: '2026-03-31' });
    expect(quarterNamed('2026Q2')).toEqual({ quarter: '2026Q2', start: '2026-04-01', end: '2026-06-30' });
    expect(quarterNamed('2026Q3')).toEqual({ quarter: '2026Q3', start: '2026-07-01', end: '2026-09-30' });
    expect(quarterNamed('2026Q4')).toEqual({ quarter: '2026Q4', start: '2026-10-01', end: '2026-12-31' });
    expect(() => quarterNamed('2026Q5')).toThrow(RangeError);
    expect(isQuarter('2026Q3')).toBe(true);
    expect(isQuarter('2026-Q3')).toBe(false);
  });

  it('reports the quarter before the day it is made, across the year’s turn', () => {
    expect(quarterBefore('2026-10-01').quarter).toBe('2026Q3');
    expect(quarterBefore('2026-12-31').quarter).toBe('2026Q3');
    expect(quarterBefore('2027-01-01').quarter).toBe('2026Q4');
    expect(quarterBefore('2027-04-01').quarter).toBe('2027Q1');
    expect(quarterLabel('2026Q3')).toBe('2026年第三季度');
  });
});

describe('the quarterly summary workbook', () => {
  const figures = { received: 69, receivedInQuarter: 12, closed: 38, closedInQuarter: 5, filed: 10, feedbackOverdue: 2, restricted: 1 };

  it('adds 办结率 and 成案率 to the counts as the metric rules round them', () => {
    expect(summaryFigures(figures)).toMatchObject({ completionRate: 55.1, filingRate: 26.3 });
    expect(summaryFigures({ ...figures, received: 0, closed: 0, filed: 0 })).toMatchObject({ completionRate: null, filingRate: null });
  });

  it('holds a sheet of figures with the counting rules and a sheet of lines, A4 landscape', async () => {
    const file = await summaryWorkbook({
      authority: '区纪委监委案件监督管理室',
      roundName: '十五届区委第五轮巡察',
      quarter: quarterNamed('2026Q3'),
      asOf: '2026-10-09',
      figures,
      lines: [
        { number: '巡移〔2026〕12号', unit: '区教育局', office: '第三监督检查室', category: '违反党纪', receivedOn: '2026-07-10', status: '初步核实中', disposition: '初步核实', feedbackCount: 0, feedbackDue: '2027-01-11', filedOn: null, closedOn: null, closeOutcome: '' },
      ],
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('汇总')!;
    expect(sheet.getCell('A1').value).toBe('十五届区委第五轮巡察移交问题线索办理情况汇总表（2026年第三季度）');
    expect(sheet.getCell('A2').value).toBe('统计期间：2026年7月1日至2026年9月30日；汇总日：2026年10月9日');
    const values: unknown[][] = [];
    sheet.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
    expect(values).toContainEqual(['办结率', '55.1%']);
    expect(values).toContainEqual(['成案率', '26.3%']);
    expect(String(values.find((row) => String(row[0]).startsWith('说明'))?.[0])).toContain('办结率 = 累计办结 ÷ 累计受理');
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape' });
    const lines = workbook.getWorksheet('线索明细')!;
    expect(lines.rowCount).toBe(2);
    expect((lines.getRow(2).values as unknown[]).slice(1, 4)).toEqual([1, '巡移〔2026〕12号', '区教育局']);
  });
});
