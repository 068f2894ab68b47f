import { Body, Controller, Get, HttpStatus, Param, Post, Put, Req, Res, UnsupportedMediaTypeException, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { ProcessGraph } from '@xuncha/bpmn';
import { MAX_DEFINITION_BYTES } from '@xuncha/bpmn';
import type { Principal } from '@xuncha/contracts';
import type { Request, Response } from 'express';
import { CurrentUser } from '../auth/current-user.decorator';
import { versionParam } from '../http/fields';
import {
  DefinitionDto,
  DefinitionPermissionsDto,
  DefinitionVersionDetailDto,
  DefinitionVersionDto,
  DeployedDto,
  StoredDefinitionPermissionsDto,
} from './definitions.dto';
import { DefinitionsService } from './definitions.service';

/** Media types accepted as a raw BPMN body. */
export const XML_MEDIA_TYPES = ['application/xml', 'text/xml', 'application/bpmn+xml'];

/** The part of a multer file this controller reads. */
interface UploadedDefinition {
  buffer: Buffer;
}

/** Deploy BPMN definitions and read their versions. */
@ApiTags('definitions')
@Controller('definitions')
export class DefinitionsController {
  constructor(private readonly definitions: DefinitionsService) {}

  @Post()
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_DEFINITION_BYTES, files: 1 } }))
  @ApiOperation({
    summary: 'Deploy a BPMN definition',
    description:
      'Body: the XML as application/xml or text/xml, or multipart/form-data with the file in field "file". ' +
      'Validated fully first. Every executable process of the file is stored under its own key (all or none); ' +
      '201 when any of them got a new version, 200 when every one is identical to its latest version. ' +
      'key and version are those of the first executable process; processes lists them all.',
  })
  @ApiConsumes('application/xml', 'text/xml', 'multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: DeployedDto, description: 'A new version of at least one process was stored' })
  @ApiOkResponse({ type: DeployedDto, description: 'Every process identical to its latest version; nothing stored' })
  @ApiUnprocessableEntityResponse({ description: '{ error: "invalid-definition", findings } — nothing stored' })
  @ApiBadRequestResponse({ description: 'Not an XML document' })
  @ApiPayloadTooLargeResponse({ description: `Larger than ${MAX_DEFINITION_BYTES} bytes` })
  async deploy(
    @Req() request: Request,
    @UploadedFile() file: UploadedDefinition | undefined,
    @Res({ passthrough: true }) response: Response,
    @CurrentUser() caller: Principal,
  ): Promise<DeployedDto> {
    const upload = file?.buffer ?? (Buffer.isBuffer(request.body) ? request.body : undefined);
    if (!upload) {
      const type = request.headers['content-type'] ?? 'none';
      throw new UnsupportedMediaTypeException(
        type.startsWith('multipart/form-data')
          ? 'The multipart upload has no field named "file"'
          : `Send the BPMN XML as ${XML_MEDIA_TYPES.join(', ')} or as multipart/form-data field "file" (got content type ${type})`,
      );
    }
    const { created, deployed } = await this.definitions.deploy(upload, caller);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return deployed;
  }

  @Get()
  @ApiOperation({ summary: 'The latest version of every deployed definition' })
  @ApiOkResponse({ type: [DefinitionVersionDto] })
  latest(): Promise<DefinitionVersionDto[]> {
    return this.definitions.latest();
  }

  @Get(':key')
  @ApiOperation({ summary: 'The latest version of one definition, with the schedules of its timer start events and their next firings' })
  @ApiOkResponse({ type: DefinitionDto })
  @ApiNotFoundResponse()
  definition(@Param('key') key: string): Promise<DefinitionDto> {
    return this.definitions.definition(key);
  }

  @Get(':key/versions')
  @ApiOperation({ summary: 'Every version of one definition, newest first' })
  @ApiOkResponse({ type: [DefinitionVersionDto] })
  @ApiNotFoundResponse()
  versions(@Param('key') key: string): Promise<DefinitionVersionDto[]> {
    return this.definitions.versions(key);
  }

  @Get(':key/versions/:version')
  @ApiOperation({ summary: 'One version: summary, warnings and its XML' })
  @ApiOkResponse({ type: DefinitionVersionDetailDto })
  @ApiNotFoundResponse()
  version(@Param('key') key: string, @Param('version', versionParam()) version: number): Promise<DefinitionVersionDetailDto> {
    return this.definitions.version(key, version);
  }

  @Get(':key/versions/:version/graph')
  @ApiOperation({ summary: 'The compiled graph of one version, as the engine runs it' })
  @ApiNotFoundResponse()
  graph(@Param('key') key: string, @Param('version', versionParam()) version: number): Promise<ProcessGraph> {
    return this.definitions.graph(key, version);
  }

  @Get(':key/permissions')
  @ApiOperation({ summary: 'Who may deploy, start, read, cancel, retry and modify instances of a definition (security administrator)' })
  @ApiOkResponse({ type: StoredDefinitionPermissionsDto })
  permissions(@Param('key') key: string): Promise<StoredDefinitionPermissionsDto> {
    return this.definitions.permissionsOf(key);
  }

  @Put(':key/permissions')
  @ApiOperation({ summary: 'Replace the rules of a definition, every action named (security administrator; `*` for every definition without rules of its own)' })
  @ApiOkResponse({ type: StoredDefinitionPermissionsDto })
  setPermissions(@Param('key') key: string, @Body() body: DefinitionPermissionsDto, @CurrentUser() caller: Principal): Promise<StoredDefinitionPermissionsDto> {
    return this.definitions.setPermissions(key, body, caller);
  }
}
