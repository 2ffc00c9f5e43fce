import {
  Controller,
  Get,
  HttpStatus,
  Param,
  Post,
  Req,
  Res,
  StreamableFile,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  FILE_ID_PATTERN,
  FileDto,
  FileIdParamDto,
  MAX_UPLOAD_BYTES_DEFAULT,
  RoomIdParamDto,
  THUMBNAIL_MAX_SIDE,
  UPLOAD_FIELD,
} from '@parley/contracts';
import type { Request, Response } from 'express';
import { AuthGuard } from '../common/auth/auth.guard';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors, contractSchema } from '../openapi/api-docs.decorators';
import { BEARER_AUTH } from '../openapi/openapi';
import { ROOM_ID_PARAM } from '../rooms/rooms.controller';
import { FilesService } from './files.service';

const FILE_EXAMPLE: FileDto = {
  id: '665f1c2b1e8a474d7e9a6700',
  name: 'whiteboard.jpg',
  size: 482133,
  contentType: 'image/jpeg',
  kind: 'image',
  width: 1600,
  height: 1200,
  room: 'k3v9x0q2mz',
  uploadedBy: '665f1c2b1e8a474d7e9a650c',
  createdAt: '2026-01-01T12:00:00.000Z',
};

const FILE_ID_PARAM = {
  name: 'id',
  description: 'File id (from the upload response or a message’s `attachments`)',
  schema: { type: 'string', pattern: FILE_ID_PATTERN.source, example: FILE_EXAMPLE.id },
} as const;

const DOWNLOAD_HEADERS_DESCRIPTION =
  "Always `X-Content-Type-Options: nosniff`, `Content-Security-Policy: sandbox; default-src 'none'`, " +
  '`Content-Length` and `Cache-Control: private, max-age=31536000, immutable` (ids never change; ' +
  '`Vary: Authorization`). Authenticate with the bearer header like every other route: `<img src>` ' +
  'cannot send it, so the web app fetches the bytes with its token and shows them through a ' +
  '`blob:` URL (`URL.createObjectURL`), which the app’s CSP allows for images.';

@ApiTags('files')
@ApiBearerAuth(BEARER_AUTH)
@UseGuards(AuthGuard)
@Controller()
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post('rooms/:id/files')
  @ApiOperation({
    summary: 'Upload a file to send with a message',
    description:
      `Members only. \`multipart/form-data\` with exactly one file in field \`${UPLOAD_FIELD}\` and ` +
      `nothing else. At most \`MAX_UPLOAD_BYTES\` (default ${MAX_UPLOAD_BYTES_DEFAULT}) bytes: ` +
      'checked against `Content-Length` first and while the body streams in, so a larger file is ' +
      'refused with 413 `payload_too_large` before it has been sent completely, and nothing of ' +
      'it is kept. The type comes from the content, never from the name or the declared type: a ' +
      'PNG, JPEG, GIF or WebP that decodes is an `image` (with its size and a thumbnail of at most ' +
      `${THUMBNAIL_MAX_SIDE} px); anything else, SVG included, is a \`file\` of type ` +
      '`application/octet-stream`. `name` is the file name with directories, control and bidi ' +
      'characters removed (display only). Send it with `send_message {…, attachments: [id]}`; ' +
      'until then only the uploader can download it, and files never sent are deleted after a day.',
  })
  @ApiParam(ROOM_ID_PARAM)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: [UPLOAD_FIELD],
      properties: { [UPLOAD_FIELD]: { type: 'string', format: 'binary' } },
    },
  })
  @ApiResponse({
    status: HttpStatus.CREATED,
    description: 'Stored, not yet sent',
    schema: contractSchema(FileDto, FILE_EXAMPLE),
  })
  @ApiErrors(
    'validation_failed',
    'unauthorized',
    'not_a_member',
    'banned',
    'room_not_found',
    'payload_too_large',
  )
  upload(
    @CurrentUser() user: AuthUser,
    @Param() params: RoomIdParamDto,
    @Req() request: Request,
  ): Promise<FileDto> {
    return this.files.upload(user, params.id, request);
  }

  @Get('files/:id')
  @ApiOperation({
    summary: 'Download a file',
    description:
      'For anyone who may read the file’s room; a file not yet sent only for its uploader ' +
      '(`file_not_found` for others). Images are served `inline` with their detected type; ' +
      'everything else as `application/octet-stream` with `Content-Disposition: attachment` ' +
      "(the name in `filename*=UTF-8''…`). " +
      DOWNLOAD_HEADERS_DESCRIPTION,
  })
  @ApiParam(FILE_ID_PARAM)
  @ApiProduces('application/octet-stream', 'image/png', 'image/jpeg', 'image/gif', 'image/webp')
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The file’s bytes',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiErrors('validation_failed', 'unauthorized', 'not_a_member', 'banned', 'file_not_found')
  async download(
    @CurrentUser() user: AuthUser,
    @Param() params: FileIdParamDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const download = await this.files.download(user, params.id, 'file');
    response.set(download.headers);
    return new StreamableFile(download.stream);
  }

  @Get('files/:id/thumbnail')
  @ApiOperation({
    summary: 'An image’s thumbnail',
    description:
      `WebP, at most ${THUMBNAIL_MAX_SIDE} px on its longer side, \`inline\`. Images only ` +
      '(`file_not_found` for other files); the same access rule as the file. ' +
      DOWNLOAD_HEADERS_DESCRIPTION,
  })
  @ApiParam(FILE_ID_PARAM)
  @ApiProduces('image/webp')
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The thumbnail’s bytes',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiErrors('validation_failed', 'unauthorized', 'not_a_member', 'banned', 'file_not_found')
  async thumbnail(
    @CurrentUser() user: AuthUser,
    @Param() params: FileIdParamDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const download = await this.files.download(user, params.id, 'thumbnail');
    response.set(download.headers);
    return new StreamableFile(download.stream);
  }
}
