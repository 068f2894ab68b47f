import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Payload } from '@temporalio/common';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import { InvalidRequestError } from '@xuncha/contracts';
import { EncryptionCodec, PayloadDecryptionError } from '@xuncha/runtime';
import { ArrayMaxSize, IsArray } from 'class-validator';

/** Payloads as Temporal UI's codec protocol sends them: metadata values and data in base64. */
export class CodecPayloadsDto {
  @ApiProperty({ type: 'array', items: { type: 'object', properties: { metadata: { type: 'object' }, data: { type: 'string', format: 'byte' } } } })
  @IsArray()
  @ArrayMaxSize(1000)
  payloads!: unknown[];
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function bytesOf(field: string, value: unknown): Uint8Array {
  if (typeof value !== 'string' || !BASE64.test(value)) throw new InvalidRequestError(field, `${field} must be base64`);
  return Buffer.from(value, 'base64');
}

function fromJson(payloads: unknown[]): Payload[] {
  return payloads.map((payload, index) => {
    const field = `payloads[${index}]`;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new InvalidRequestError(field, `${field} must be an object with metadata and data`);
    const { metadata, data } = payload as { metadata?: unknown; data?: unknown };
    if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) {
      throw new InvalidRequestError(`${field}.metadata`, `${field}.metadata must be an object of base64 values`);
    }
    return {
      metadata: Object.fromEntries(Object.entries((metadata ?? {}) as Record<string, unknown>).map(([key, value]) => [key, bytesOf(`${field}.metadata.${key}`, value)])),
      data: data === undefined ? new Uint8Array() : bytesOf(`${field}.data`, data),
    };
  });
}

function toJson(payloads: Payload[]): CodecPayloadsDto {
  return {
    payloads: payloads.map((payload) => ({
      metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
      data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
    })),
  };
}

/**
 * The codec server Temporal UI calls to show what histories hold (Settings → Codec Server:
 * this API's /codec, with "Pass the user access token"): it forwards the user's bearer token,
 * and only those whose roles hold the codec permission (process administrators) get plain
 * values. Each call is in the audit trail. The development server's UI has no login: there,
 * nobody's token is forwarded and every call is refused.
 */
@ApiTags('codec')
@ApiBearerAuth()
@Controller('codec')
export class CodecController {
  private readonly codec: EncryptionCodec;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.codec = new EncryptionCodec(config.payload);
  }

  @Post('decode')
  @HttpCode(200)
  @ApiOperation({ summary: "Decrypt payloads of Temporal's histories (Temporal UI codec protocol)" })
  @ApiOkResponse({ type: CodecPayloadsDto })
  async decode(@Body() body: CodecPayloadsDto): Promise<CodecPayloadsDto> {
    try {
      return toJson(await this.codec.decode(fromJson(body.payloads)));
    } catch (error) {
      if (error instanceof PayloadDecryptionError) throw new InvalidRequestError('payloads', error.message);
      throw error;
    }
  }

  @Post('encode')
  @HttpCode(200)
  @ApiOperation({ summary: 'Encrypt payloads, as Temporal UI does before it sends a signal or starts a workflow' })
  @ApiOkResponse({ type: CodecPayloadsDto })
  async encode(@Body() body: CodecPayloadsDto): Promise<CodecPayloadsDto> {
    return toJson(await this.codec.encode(fromJson(body.payloads)));
  }
}
