import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CreateRoomDto, ROOM_ID_PATTERN, RoomDto, RoomIdParamDto } from '@parley/contracts';
import { AuthGuard } from '../common/auth/auth.guard';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors, contractSchema } from '../openapi/api-docs.decorators';
import { BEARER_AUTH } from '../openapi/openapi';
import { ROOM_LIST_LIMIT, RoomsService } from './rooms.service';

export const ROOM_EXAMPLE: RoomDto = {
  id: 'k3v9x0q2mz',
  name: 'Book club',
  createdBy: '665f1c2b1e8a474d7e9a650c',
  lastSeq: 42,
  createdAt: '2026-01-01T12:00:00.000Z',
};

export const ROOM_ID_PARAM = {
  name: 'id',
  description: 'Room id: 10 characters of 0–9 and a–z',
  schema: { type: 'string', pattern: ROOM_ID_PATTERN.source, example: ROOM_EXAMPLE.id },
} as const;

@ApiTags('rooms')
@ApiBearerAuth(BEARER_AUTH)
@UseGuards(AuthGuard)
@Controller('rooms')
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a room', description: 'The creator gets a short shareable id.' })
  @ApiBody({ schema: contractSchema(CreateRoomDto, { name: 'Book club' }) })
  @ApiResponse({
    status: HttpStatus.CREATED,
    description: 'The new room',
    schema: contractSchema(RoomDto, { ...ROOM_EXAMPLE, lastSeq: 0 }),
  })
  @ApiErrors('validation_failed', 'unauthorized')
  create(@CurrentUser() user: AuthUser, @Body() input: CreateRoomDto): Promise<RoomDto> {
    return this.rooms.create(user, input);
  }

  @Get()
  @ApiOperation({
    summary: 'List rooms',
    description: `The ${ROOM_LIST_LIMIT} most recently active rooms, newest activity first.`,
  })
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'Rooms',
    schema: contractSchema(RoomDto, [ROOM_EXAMPLE], true),
  })
  @ApiErrors('unauthorized')
  list(): Promise<RoomDto[]> {
    return this.rooms.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a room by id' })
  @ApiParam(ROOM_ID_PARAM)
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The room',
    schema: contractSchema(RoomDto, ROOM_EXAMPLE),
  })
  @ApiErrors('validation_failed', 'unauthorized', 'room_not_found')
  get(@Param() params: RoomIdParamDto): Promise<RoomDto> {
    return this.rooms.get(params.id);
  }
}
