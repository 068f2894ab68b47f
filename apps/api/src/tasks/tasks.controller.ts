import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@xuncha/contracts';
import { CurrentUser } from '../auth/current-user.decorator';
import { CompleteTaskDto, ListTasksQuery, TaskDetailDto, TaskDto, TaskPageDto, TaskUserDto } from './tasks.dto';
import { TasksService } from './tasks.service';

/** The inbox: user tasks, their claims and hand-overs, and completion. */
@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: 'Tasks visible to the caller (open, due date ascending, no due date last, by default)' })
  @ApiOkResponse({ type: TaskPageDto })
  list(@Query() query: ListTasksQuery, @CurrentUser() caller: Principal): Promise<TaskPageDto> {
    return this.tasks.list(query, caller);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One task with its form schema and the variables it sees' })
  @ApiOkResponse({ type: TaskDetailDto })
  get(@Param('id') id: string, @CurrentUser() caller: Principal): Promise<TaskDetailDto> {
    return this.tasks.get(id, caller);
  }

  @Post(':id/claim')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Take an unclaimed task you are a candidate of' })
  @ApiOkResponse({ type: TaskDto })
  claim(@Param('id') id: string, @CurrentUser() caller: Principal): Promise<TaskDto> {
    return this.tasks.act(id, 'claim', caller);
  }

  @Post(':id/unclaim')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Give a claimed task back to its candidates' })
  @ApiOkResponse({ type: TaskDto })
  unclaim(@Param('id') id: string, @CurrentUser() caller: Principal): Promise<TaskDto> {
    return this.tasks.act(id, 'unclaim', caller);
  }

  @Post(':id/assign')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Hand the task to someone (its assignee, or a candidate while unclaimed, may)' })
  @ApiOkResponse({ type: TaskDto })
  assign(@Param('id') id: string, @Body() body: TaskUserDto, @CurrentUser() caller: Principal): Promise<TaskDto> {
    return this.tasks.act(id, 'assign', caller, body.user);
  }

  @Post(':id/delegate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Delegate your task: the delegate works on it and resolves it back to you' })
  @ApiOkResponse({ type: TaskDto })
  delegate(@Param('id') id: string, @Body() body: TaskUserDto, @CurrentUser() caller: Principal): Promise<TaskDto> {
    return this.tasks.act(id, 'delegate', caller, body.user);
  }

  @Post(':id/resolve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Return a delegated task to its owner' })
  @ApiOkResponse({ type: TaskDto })
  resolve(@Param('id') id: string, @CurrentUser() caller: Principal): Promise<TaskDto> {
    return this.tasks.act(id, 'resolve', caller);
  }

  @Post(':id/complete')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Complete the task with variables checked against its form; requestId makes a retry safe' })
  @ApiOkResponse({ type: TaskDto })
  complete(@Param('id') id: string, @Body() body: CompleteTaskDto, @CurrentUser() caller: Principal): Promise<TaskDto> {
    return this.tasks.complete(id, body, caller);
  }
}
