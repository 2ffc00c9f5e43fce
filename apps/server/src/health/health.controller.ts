import { Controller, Get, HttpStatus } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthDto } from '@parley/contracts';
import { DatabaseTarget } from '../database/database-target';
import { ApiErrors, contractSchema } from '../openapi/api-docs.decorators';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly database: DatabaseTarget) {}

  @Get()
  @ApiOperation({ summary: 'Liveness, and which kind of database is in use' })
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The server is up',
    schema: contractSchema(HealthDto, { status: 'ok', database: 'embedded' }),
  })
  @ApiErrors()
  check(): HealthDto {
    return { status: 'ok', database: this.database.mode };
  }
}
