import { AlignmentType, BorderStyle, Document, LineRuleType, Packer, Paragraph, TextRun } from 'docx';
import { chineseDate, plainChineseDate } from './dates';

/** The kinds of letter the clue process issues, with their names and number prefixes. */
export const LETTERS = {
  reminder: { name: '提醒函', prefix: '案管提' },
  supervision: { name: '督办函', prefix: '案管督' },
} as const;

export type ClueLetterKind = keyof typeof LETTERS;

/** What a letter about a slow clue says; nothing here names a person or tells what the clue is about. */
export interface LetterFacts {
  kind: ClueLetterKind;
  reason: 'feedback-overdue' | 'stalled';
  clueNumber: string;
  roundName: string;
  receivedOn: string;
  /** The office that handles the clue (the addressee). */
  officeName: string;
  /** The overdue feedback's due date, or the last change of a stalled clue. */
  since: string;
  /** For a supervision letter: the reminder it follows. */
  reminderNumber?: string | null;
  /** Working days the addressee has to answer. */
  answerWithin: number;
}

export interface LetterText {
  title: string;
  addressee: string;
  body: string[];
}

/** Drafts a letter's title, addressee and paragraphs. */
export function draftLetter(facts: LetterFacts): LetterText {
  const name = LETTERS[facts.kind].name;
  const about = `${facts.roundName}移交的${facts.clueNumber}问题线索（${plainChineseDate(facts.receivedOn)}收到）`;
  const situation =
    facts.reason === 'feedback-overdue'
      ? `按照巡察移交问题线索办理反馈的要求，你室承办的${about}应于${plainChineseDate(facts.since)}前向巡察办反馈办理情况，截至目前尚未反馈。`
      : `你室承办的${about}，自${plainChineseDate(facts.since)}以来办理进展无变化，亦未向巡察办反馈办理情况。`;
  const escalation =
    facts.kind === 'supervision'
      ? `我室已于此前发出${facts.reminderNumber ? `《提醒函》（${facts.reminderNumber}）` : '提醒函'}，但上述问题仍未解决。现予以督办，请你室高度重视，`
      : '现予以提醒，请你室';
  return {
    title: `关于${facts.clueNumber}问题线索办理情况的${name}`,
    addressee: `${facts.officeName}：`,
    body: [situation, `${escalation}于收到本函之日起${facts.answerWithin}个工作日内报送办理进展，并按期向巡察办反馈。`, '特此函告。'],
  };
}

/** Everything the .docx shows. */
export interface IssuedLetter extends LetterText {
  kind: ClueLetterKind;
  authority: string;
  number: string | null;
  issuedOn: string | null;
}

// GB/T 9704-2012: type area 156 mm × 225 mm on A4, margins top 37 mm, left 28 mm; 22 lines of 28 characters.
const MM = 56.7; // twips per millimetre
const LINE = 560; // 28 pt fixed line pitch (22 lines in the type area)
const FANGSONG = '仿宋_GB2312';
const XIAOBIAOSONG = '方正小标宋简体';
const RED = 'C00000';

function line(text: string, options: { font?: string; size?: number; color?: string; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; indent?: boolean; bold?: boolean } = {}): Paragraph {
  return new Paragraph({
    alignment: options.align ?? AlignmentType.JUSTIFIED,
    spacing: { line: LINE, lineRule: LineRuleType.EXACT },
    ...(options.indent ? { indent: { firstLine: 640 } } : {}),
    children: [new TextRun({ text, font: { eastAsia: options.font ?? FANGSONG, ascii: options.font ?? FANGSONG }, size: options.size ?? 32, ...(options.color ? { color: options.color } : {}) })],
  });
}

/**
 * The letter as an official document (GB/T 9704): the issuing authority's mark in red, the
 * document number under it and a red rule, the title, the addressee, the body in 3号仿宋 with
 * two-character indents, the authority and the date in Chinese numerals at the end.
 */
export async function letterDocx(letter: IssuedLetter): Promise<Buffer> {
  const mark = letter.authority;
  const document = new Document({
    creator: letter.authority,
    title: letter.title,
    styles: { default: { document: { run: { font: FANGSONG, size: 32 } } } },
    sections: [
      {
        properties: { page: { size: { width: 210 * MM, height: 297 * MM }, margin: { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM } } },
        children: [
          line(mark, { font: XIAOBIAOSONG, size: 52, color: RED, align: AlignmentType.CENTER }),
          line(''),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { line: LINE, lineRule: LineRuleType.EXACT },
            border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: RED, space: 6 } },
            children: [new TextRun({ text: letter.number ?? '（未编号：待审批的函稿）', font: { eastAsia: FANGSONG, ascii: FANGSONG }, size: 32 })],
          }),
          line(''),
          line(letter.title, { font: XIAOBIAOSONG, size: 44, align: AlignmentType.CENTER }),
          line(''),
          line(letter.addressee, { align: AlignmentType.LEFT }),
          ...letter.body.map((text) => line(text, { indent: true })),
          line(''),
          line(''),
          line(letter.authority, { align: AlignmentType.RIGHT }),
          line(letter.issuedOn ? chineseDate(letter.issuedOn) : '（印发时填写日期）', { align: AlignmentType.RIGHT }),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
