import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import {
  assignTaskRequestSchema,
  cancelTaskRequestSchema,
  closeReportRequestSchema,
  CreateTaskRequest,
  CreateTeamRequest,
  duplicatesQuerySchema,
  idParamsSchema,
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
import { Policy } from '../auth/roles.guard';
import type { Principal } from '../auth/token.service';
import { ValidBody, ValidParams, ValidQuery } from '../common/validation';
import { AccountabilityService } from './accountability.service';
import { clientActionId } from './dispatch-access';
import { ReportTriageService, TriageAnswer } from './report-triage.service';
import { TasksService } from './tasks.service';
import { TeamsService } from './teams.service';

type RecordId = z.infer<typeof idParamsSchema>;

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
  @Policy('dispatch.read')
  taskTimeline(@ValidParams(idParamsSchema) { id }: RecordId, @CurrentUser() caller: Principal) {
    return this.accountability.taskTimeline(id, caller);
  }

  @Get('reports/:id/timeline')
  @Policy('dispatch.read')
  reportTimeline(@ValidParams(idParamsSchema) { id }: RecordId, @CurrentUser() caller: Principal) {
    return this.accountability.reportTimeline(id, caller);
  }

  /** `?unit=CODE&day=YYYY-MM-DD`: per unit, median and worst time to acknowledge and to finish. */
  @Get('response-times')
  @Policy('dispatch.read')
  responseTimes(@ValidQuery(responseTimesQuerySchema) q: z.infer<typeof responseTimesQuerySchema>, @CurrentUser() caller: Principal) {
    return this.accountability.responseTimes(q.unit ?? caller.unitCode, q.day, caller);
  }

  /** Open reports of a unit's subtree, newest first, with their triage and a likely-duplicate hint. */
  @Get('reports')
  @Policy('dispatch.manage')
  openReports(@ValidQuery(openReportsQuerySchema) q: z.infer<typeof openReportsQuerySchema>, @CurrentUser() caller: Principal): Promise<OpenReportsResponse> {
    return this.triage.openReports(q.unit ?? caller.unitCode, q.limit ?? 200, caller);
  }

  @Get('reports/:id')
  @Policy('dispatch.read')
  report(@ValidParams(idParamsSchema) { id }: RecordId, @CurrentUser() caller: Principal) {
    return this.triage.state(id, caller);
  }

  /** Likely duplicates: open reports within `radiusM` (default 500 m) and `hours` (default 2 h). */
  @Get('reports/:id/duplicates')
  @Policy('dispatch.read')
  duplicates(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidQuery(duplicatesQuerySchema) q: z.infer<typeof duplicatesQuerySchema>,
    @CurrentUser() caller: Principal,
  ) {
    return this.triage.duplicates(id, caller, q.radiusM, q.hours);
  }

  @Post('reports/:id/triage')
  @Policy('dispatch.manage')
  async triageReport(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidBody(triageReportRequestSchema) { priority }: z.infer<typeof triageReportRequestSchema>,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TriageAnswer> {
    return this.answer(res, await this.triage.triage(id, priority, caller));
  }

  @Post('reports/:id/close')
  @Policy('dispatch.manage')
  async closeReport(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidBody(closeReportRequestSchema) { reason }: z.infer<typeof closeReportRequestSchema>,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TriageAnswer> {
    return this.answer(res, await this.triage.close(id, reason, caller));
  }

  @Post('reports/:id/merge')
  @Policy('dispatch.manage')
  async mergeReport(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidBody(mergeReportRequestSchema) { intoReportId }: z.infer<typeof mergeReportRequestSchema>,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TriageAnswer> {
    return this.answer(res, await this.triage.merge(id, intoReportId.toLowerCase(), caller));
  }

  private answer(res: Response, answer: TriageAnswer): TriageAnswer {
    res.status(answer.alreadyApplied ? 200 : 201);
    return answer;
  }

  @Get('teams')
  @Policy('dispatch.read')
  listTeams(@ValidQuery(teamsQuerySchema) query: z.infer<typeof teamsQuerySchema>, @CurrentUser() caller: Principal): Promise<{ teams: TeamView[] }> {
    return this.teams.list(query, caller);
  }

  @Post('teams')
  @Policy('dispatch.manage')
  createTeam(@ValidBody(createTeamRequestSchema) body: CreateTeamRequest, @CurrentUser() caller: Principal): Promise<TeamView> {
    return this.teams.create(body, caller);
  }

  @Post('teams/:id/status')
  @Policy('dispatch.manage')
  async teamStatus(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidBody(teamStatusRequestSchema, { optional: true }) { status }: z.infer<typeof teamStatusRequestSchema>,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ team: TeamView; eventId: string | null }> {
    const answer = await this.teams.setStatus(id, status, caller);
    res.status(answer.eventId ? 201 : 200);
    return answer;
  }

  @Get('tasks')
  @Policy('tasks.read')
  listTasks(@ValidQuery(tasksQuerySchema) query: z.infer<typeof tasksQuerySchema>, @CurrentUser() caller: Principal): Promise<{ tasks: TaskView[] }> {
    return this.tasks.list(query, caller);
  }

  /** Available teams that can take the task, nearest first, with distances in metres. */
  @Get('tasks/:id/nearest-teams')
  @Policy('dispatch.manage')
  nearestTeams(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidQuery(nearestTeamsQuerySchema) q: z.infer<typeof nearestTeamsQuerySchema>,
    @CurrentUser() caller: Principal,
  ): Promise<NearestTeamsResponse> {
    return this.teams.nearest(id, q.limit ?? 5, caller);
  }

  @Get('tasks/:id')
  @Policy('tasks.read')
  getTask(@ValidParams(idParamsSchema) { id }: RecordId, @CurrentUser() caller: Principal): Promise<TaskView> {
    return this.tasks.get(id, caller);
  }

  /** 201 with the new task; 200 with the earlier one when the client action id was seen before. */
  @Post('tasks')
  @Policy('dispatch.manage')
  async createTask(
    @ValidBody(createTaskRequestSchema) request: CreateTaskRequest,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TaskActionResponse> {
    const answer = await this.tasks.create(request, caller, clientActionId(req, request));
    res.status(answer.alreadyApplied ? 200 : 201);
    return answer;
  }

  @Post('tasks/:id/assign')
  @Policy('dispatch.manage')
  assign(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidBody(assignTaskRequestSchema) body: z.infer<typeof assignTaskRequestSchema>,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.act(id, 'assign', { teamId: body.teamId.toLowerCase() }, body, caller, req, res);
  }

  @Post('tasks/:id/acknowledge')
  @Policy('tasks.step')
  acknowledge(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidBody(taskActionRequestSchema, { optional: true }) body: z.infer<typeof taskActionRequestSchema>,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.act(id, 'acknowledge', {}, body, caller, req, res);
  }

  @Post('tasks/:id/progress')
  @Policy('tasks.step')
  progress(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidBody(progressTaskRequestSchema) body: z.infer<typeof progressTaskRequestSchema>,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.act(id, body.state, {}, body, caller, req, res);
  }

  @Post('tasks/:id/complete')
  @Policy('tasks.step')
  complete(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidBody(taskActionRequestSchema, { optional: true }) body: z.infer<typeof taskActionRequestSchema>,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.act(id, 'complete', {}, body, caller, req, res);
  }

  @Post('tasks/:id/cancel')
  @Policy('dispatch.manage')
  cancel(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidBody(cancelTaskRequestSchema) body: z.infer<typeof cancelTaskRequestSchema>,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.act(id, 'cancel', { reason: body.reason }, body, caller, req, res);
  }

  /** 201 when the action was applied, 200 when the same client action id had already been applied. */
  private async act(
    id: string,
    action: Parameters<TasksService['act']>[1],
    extra: Parameters<TasksService['act']>[2],
    body: { clientActionId?: string },
    caller: Principal,
    req: Request,
    res: Response,
  ): Promise<TaskActionResponse> {
    const answer = await this.tasks.act(id, action, extra, caller, clientActionId(req, body));
    res.status(answer.alreadyApplied ? 200 : 201);
    return answer;
  }
}
