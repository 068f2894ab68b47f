import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@xuncha/contracts';
import type { Response } from 'express';
import { CurrentUser } from '../auth/current-user.decorator';
import { GrantRoleDto, ListRoleGrantsQuery, RoleGrantDto, SavePersonDto } from './directory.dto';
import { DirectoryService } from './directory.service';

/** The people of the directory (系统管理员) and their roles (安全管理员). */
@ApiTags('directory')
@ApiBearerAuth()
@Controller()
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Post('users')
  @ApiOperation({ summary: 'Add a person to the directory, or rename or move one (system administrator); 201 new, 200 changed' })
  async savePerson(@Body() body: SavePersonDto, @Res({ passthrough: true }) response: Response): Promise<Principal> {
    const { created, person } = await this.directory.savePerson(body);
    response.status(created ? 201 : 200);
    return person;
  }

  @Post('users/:sub/roles')
  @ApiOperation({ summary: 'Give a person a role (security administrator): 201 granted, 202 waiting for a second administrator (administrator roles)' })
  @ApiOkResponse({ type: RoleGrantDto })
  async grant(@Param('sub') sub: string, @Body() body: GrantRoleDto, @CurrentUser() caller: Principal, @Res({ passthrough: true }) response: Response): Promise<RoleGrantDto> {
    const grant = await this.directory.grant(caller, sub, body);
    response.status(grant.state === 'pending' ? 202 : 201);
    return grant;
  }

  @Delete('users/:sub/roles/:role')
  @HttpCode(204)
  @ApiOperation({ summary: "Take a person's role back (security administrator, never their own)" })
  revoke(@Param('sub') sub: string, @Param('role') role: string, @CurrentUser() caller: Principal): Promise<void> {
    return this.directory.revoke(caller, sub, role);
  }

  @Get('role-grants')
  @ApiOperation({ summary: 'Role grants, newest first: pending ones wait for a second administrator' })
  @ApiOkResponse({ type: [RoleGrantDto] })
  list(@Query() query: ListRoleGrantsQuery): Promise<RoleGrantDto[]> {
    return this.directory.list(query.state);
  }

  @Post('role-grants/:id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a pending grant (another security administrator than the one who asked)' })
  @ApiOkResponse({ type: RoleGrantDto })
  approve(@Param('id') id: string, @CurrentUser() caller: Principal): Promise<RoleGrantDto> {
    return this.directory.decide(caller, id, 'granted');
  }

  @Post('role-grants/:id/refuse')
  @HttpCode(200)
  @ApiOperation({ summary: 'Refuse a pending grant' })
  @ApiOkResponse({ type: RoleGrantDto })
  refuse(@Param('id') id: string, @CurrentUser() caller: Principal): Promise<RoleGrantDto> {
    return this.directory.decide(caller, id, 'refused');
  }
}
