import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  assignTaskRequestSchema,
  cancelTaskRequestSchema,
  closeReportRequestSchema,
  duplicatesQuerySchema,
  mergeReportRequestSchema,
  nearestTeamsQuerySchema,
  NearestTeamsResponse,
  openReportsQuerySchema,
  OpenReportsResponse,
  triageReportRequestSchema,
  createTaskRequestSchema,
  createTeamRequestSchema,
  progressTaskRequestSchema,
  responseTimesQuerySchema,
  taskActionRequestSchema,
  TaskActionResponse,
  tasksQuerySchema,
  TaskView,
  teamsQuerySchema,
  teamStatusRequestSchema,
  TeamView,
} from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { parseOrThrow } from '../common/validation';
import { AccountabilityService } from './accountability.service';
import { clientActionId } from './dispatch-access';
import { ReportTriageService, TriageAnswer } from './report-triage.service';
import { TasksService } from './tasks.service';
import { TeamsService } from './teams.service';

const idParams = z.strictObject({ id: z.uuid() });

/** Teams and tasks: `/api/v1/dispatch/...` (README, docs/decisions/0011-dispatch-and-escalation.md). */
@Controller('api/v1/dispatch')
export class DispatchController {
  constructor(
    private readonly tasks: TasksService,
    private readonly teams: TeamsService,
    private readonly triage: ReportTriageService,
    private readonly accountability: AccountabilityService,
  ) {}

  /** Who received, assigned, acknowledged; how long each step took. */
  @Get('tasks/:id/timeline')
  taskTimeline(@Param() params: unknown, @CurrentUser() caller: Principal) {
    return this.accountability.taskTimeline(parseOrThrow(idParams, params, 'params').id.toLowerCase(), caller);
  }

  @Get('reports/:id/timeline')
  reportTimeline(@Param() params: unknown, @CurrentUser() caller: Principal) {
    return this.accountability.reportTimeline(parseOrThrow(idParams, params, 'params').id.toLowerCase(), caller);
  }

  /** `?unit=CODE&day=YYYY-MM-DD`: per unit, median and worst time to acknowledge and to finish. */
  @Get('response-times')
  responseTimes(@Query() query: unknown, @CurrentUser() caller: Principal) {
    const q = parseOrThrow(responseTimesQuerySchema, query, 'query');
    return this.accountability.responseTimes(q.unit ?? caller.unitCode, q.day, caller);
  }

  /** Open reports of a unit's subtree, newest first, with their triage and a likely-duplicate hint. */
  @Get('reports')
  openReports(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<OpenReportsResponse> {
    const q = parseOrThrow(openReportsQuerySchema, query, 'query');
    return this.triage.openReports(q.unit ?? caller.unitCode, q.limit ?? 200, caller);
  }

  @Get('reports/:id')
  report(@Param() params: unknown, @CurrentUser() caller: Principal) {
    const { id } = parseOrThrow(idParams, params, 'params');
    return this.triage.state(id.toLowerCase(), caller);
  }

  /** Likely duplicates: open reports within `radiusM` (default 500 m) and `hours` (default 2 h). */
  @Get('reports/:id/duplicates')
  duplicates(@Param() params: unknown, @Query() query: unknown, @CurrentUser() caller: Principal) {
    const { id } = parseOrThrow(idParams, params, 'params');
    const q = parseOrThrow(duplicatesQuerySchema, query, 'query');
    return this.triage.duplicates(id.toLowerCase(), caller, q.radiusM, q.hours);
  }

  @Post('reports/:id/triage')
  async triageReport(@Param() params: unknown, @Body() body: unknown, @CurrentUser() caller: Principal, @Res({ passthrough: true }) res: Response): Promise<TriageAnswer> {
    const { id } = parseOrThrow(idParams, params, 'params');
    const { priority } = parseOrThrow(triageReportRequestSchema, body);
    return this.answer(res, await this.triage.triage(id.toLowerCase(), priority, caller));
  }

  @Post('reports/:id/close')
  async closeReport(@Param() params: unknown, @Body() body: unknown, @CurrentUser() caller: Principal, @Res({ passthrough: true }) res: Response): Promise<TriageAnswer> {
    const { id } = parseOrThrow(idParams, params, 'params');
    const { reason } = parseOrThrow(closeReportRequestSchema, body);
    return this.answer(res, await this.triage.close(id.toLowerCase(), reason, caller));
  }

  @Post('reports/:id/merge')
  async mergeReport(@Param() params: unknown, @Body() body: unknown, @CurrentUser() caller: Principal, @Res({ passthrough: true }) res: Response): Promise<TriageAnswer> {
    const { id } = parseOrThrow(idParams, params, 'params');
    const { intoReportId } = parseOrThrow(mergeReportRequestSchema, body);
    return this.answer(res, await this.triage.merge(id.toLowerCase(), intoReportId.toLowerCase(), caller));
  }

  private answer(res: Response, answer: TriageAnswer): TriageAnswer {
    res.status(answer.alreadyApplied ? 200 : 201);
    return answer;
  }

  @Get('teams')
  listTeams(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<{ teams: TeamView[] }> {
    return this.teams.list(parseOrThrow(teamsQuerySchema, query, 'query'), caller);
  }

  @Post('teams')
  createTeam(@Body() body: unknown, @CurrentUser() caller: Principal): Promise<TeamView> {
    return this.teams.create(parseOrThrow(createTeamRequestSchema, body), caller);
  }

  @Post('teams/:id/status')
  async teamStatus(
    @Param() params: unknown,
    @Body() body: unknown,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ team: TeamView; eventId: string | null }> {
    const { id } = parseOrThrow(idParams, params, 'params');
    const { status } = parseOrThrow(teamStatusRequestSchema, body ?? {});
    const answer = await this.teams.setStatus(id.toLowerCase(), status, caller);
    res.status(answer.eventId ? 201 : 200);
    return answer;
  }

  @Get('tasks')
  listTasks(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<{ tasks: TaskView[] }> {
    return this.tasks.list(parseOrThrow(tasksQuerySchema, query, 'query'), caller);
  }

  /** Available teams that can take the task, nearest first, with distances in metres. */
  @Get('tasks/:id/nearest-teams')
  nearestTeams(@Param() params: unknown, @Query() query: unknown, @CurrentUser() caller: Principal): Promise<NearestTeamsResponse> {
    const { id } = parseOrThrow(idParams, params, 'params');
    const q = parseOrThrow(nearestTeamsQuerySchema, query, 'query');
    return this.teams.nearest(id.toLowerCase(), q.limit ?? 5, caller);
  }

  @Get('tasks/:id')
  getTask(@Param() params: unknown, @CurrentUser() caller: Principal): Promise<TaskView> {
    const { id } = parseOrThrow(idParams, params, 'params');
    return this.tasks.get(id.toLowerCase(), caller);
  }

  /** 201 with the new task; 200 with the earlier one when the client action id was seen before. */
  @Post('tasks')
  async createTask(
    @Body() body: unknown,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TaskActionResponse> {
    const request = parseOrThrow(createTaskRequestSchema, body);
    const answer = await this.tasks.create(request, caller, clientActionId(req, request));
    res.status(answer.alreadyApplied ? 200 : 201);
    return answer;
  }

  @Post('tasks/:id/assign')
  assign(@Param() p: unknown, @Body() b: unknown, @CurrentUser() c: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const body = parseOrThrow(assignTaskRequestSchema, b);
    return this.act(p, 'assign', { teamId: body.teamId.toLowerCase() }, body, c, req, res);
  }

  @Post('tasks/:id/acknowledge')
  acknowledge(@Param() p: unknown, @Body() b: unknown, @CurrentUser() c: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.act(p, 'acknowledge', {}, parseOrThrow(taskActionRequestSchema, b ?? {}), c, req, res);
  }

  @Post('tasks/:id/progress')
  progress(@Param() p: unknown, @Body() b: unknown, @CurrentUser() c: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const body = parseOrThrow(progressTaskRequestSchema, b);
    return this.act(p, body.state, {}, body, c, req, res);
  }

  @Post('tasks/:id/complete')
  complete(@Param() p: unknown, @Body() b: unknown, @CurrentUser() c: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.act(p, 'complete', {}, parseOrThrow(taskActionRequestSchema, b ?? {}), c, req, res);
  }

  @Post('tasks/:id/cancel')
  cancel(@Param() p: unknown, @Body() b: unknown, @CurrentUser() c: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const body = parseOrThrow(cancelTaskRequestSchema, b);
    return this.act(p, 'cancel', { reason: body.reason }, body, c, req, res);
  }

  /** 201 when the action was applied, 200 when the same client action id had already been applied. */
  private async act(
    params: unknown,
    action: Parameters<TasksService['act']>[1],
    extra: Parameters<TasksService['act']>[2],
    body: { clientActionId?: string },
    caller: Principal,
    req: Request,
    res: Response,
  ): Promise<TaskActionResponse> {
    const { id } = parseOrThrow(idParams, params, 'params');
    const answer = await this.tasks.act(id.toLowerCase(), action, extra, caller, clientActionId(req, body));
    res.status(answer.alreadyApplied ? 200 : 201);
    return answer;
  }
}
