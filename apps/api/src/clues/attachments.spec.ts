import { InvalidRequestError } from '@xuncha/contracts';
import { checkAttachments, MAX_ATTACHMENT_BYTES } from './attachments';

const PDF = Buffer.from('%PDF-1.7\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const OFD = Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]);

function refusal(given: Parameters<typeof checkAttachments>[0]): { field: string; message: string } {
  try {
    checkAttachments(given);
  } catch (error) {
    if (error instanceof InvalidRequestError) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error('accepted');
}

describe('clue attachments', () => {
  it('decodes each file, keeps its order, size and SHA-256', () => {
    const checked = checkAttachments([
      { name: ' 移交函.pdf ', contentType: 'application/pdf', content: PDF.toString('base64') },
      { name: '附件.ofd', contentType: 'application/ofd', content: OFD.toString('base64') },
      { name: '照片.png', contentType: 'image/png', content: PNG.toString('base64') },
    ]);
    expect(checked.map((file) => [file.position, file.name, file.size])).toEqual([
      [0, '移交函.pdf', PDF.length],
      [1, '附件.ofd', OFD.length],
      [2, '照片.png', PNG.length],
    ]);
    expect(checked[0]!.content.equals(PDF)).toBe(true);
    expect(checked[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses, naming the field, a type it does not keep, content that is not what its type says, bad base64, empty files and path names', () => {
    expect(refusal([{ name: 'a.doc', contentType: 'application/msword', content: PDF.toString('base64') }])).toMatchObject({ field: 'attachments[0].contentType' });
    expect(refusal([{ name: 'a.pdf', contentType: 'application/pdf', content: PNG.toString('base64') }])).toMatchObject({ field: 'attachments[0].content', message: expect.stringContaining('is not a PDF file') });
    expect(refusal([{ name: 'a.pdf', contentType: 'application/pdf', content: 'JVBERi0x=' }])).toMatchObject({ field: 'attachments[0].content', message: expect.stringContaining('base64') });
    expect(refusal([{ name: 'a.pdf', contentType: 'application/pdf', content: '' }])).toMatchObject({ field: 'attachments[0].content', message: expect.stringContaining('is empty') });
    expect(refusal([{ name: 'dir/a.pdf', contentType: 'application/pdf', content: PDF.toString('base64') }])).toMatchObject({ field: 'attachments[0].name' });
    expect(refusal([{ name: 'a\u0000.pdf', contentType: 'application/pdf', content: PDF.toString('base64') }])).toMatchObject({ field: 'attachments[0].name' });
  });

  it('refuses a file past 10 MiB and files past 20 MiB together, naming the one that passes the limit', () => {
    const big = Buffer.alloc(MAX_ATTACHMENT_BYTES + 1, 0x20);
    PDF.copy(big);
    expect(refusal([{ name: 'a.pdf', contentType: 'application/pdf', content: big.toString('base64') }])).toMatchObject({ field: 'attachments[0].content', message: expect.stringContaining('10 MiB') });
    const nine = Buffer.alloc(9 * 1024 * 1024, 0x20);
    PDF.copy(nine);
    const file = { name: 'a.pdf', contentType: 'application/pdf', content: nine.toString('base64') };
    expect(refusal([file, file, file])).toMatchObject({ field: 'attachments[2].content', message: expect.stringContaining('20 MiB') });
  });
});
