import {
  CanActivate,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterLike,
  RateLimiterRes,
  RLWrapperTimeouts,
} from 'rate-limiter-flexible';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import type { Logger } from '@frontline/logger';
import { LOGGER, REDIS, Redis } from '@frontline/spine';
import type { RouteTarget } from '../auth/auth.guard';
import { clientInfo } from './client-info';

/** A limit per client: `burst` requests at once, then one every `everySeconds`. */
export interface RateLimitSpec {
  burst: number;
  everySeconds: number;
  /** The 429's message (Vietnamese: citizens read it). */
  message: string;
}

const TRY_AGAIN = 'Quá nhiều yêu cầu từ kết nối này, vui lòng thử lại sau ít giây.';

/**
 * Every named limit of the api, one bucket per name (and per client): the routes of one family
 * share a name, two families never do.
 */
export const RATE_LIMITS = {
  /** `GET /api/v1/public/duty`: apps polling the duty list. */
  'public-duty': { burst: 30, everySeconds: 1, message: TRY_AGAIN },
  /** `GET /duty`: the citizens' duty page. */
  'duty-page': { burst: 30, everySeconds: 1, message: TRY_AGAIN },
  /** `GET /bao-tin` and its map: the citizen report form. */
  'report-page': { burst: 30, everySeconds: 1, message: TRY_AGAIN },
  /** `GET /api/v1/public/units`: the unit list the form picks from. */
  'public-units': { burst: 30, everySeconds: 1, message: TRY_AGAIN },
  /** `POST /api/v1/public/reports`: each accepted report reaches a dispatcher. */
  'public-report': {
    burst: 5,
    everySeconds: 20,
    message: 'Kết nối này đã gửi quá nhiều tin báo: vui lòng thử lại sau ít phút, hoặc gọi đường dây nóng.',
  },
  /** `GET /api/v1/calendar/TOKEN.ics`: calendar apps poll rarely. */
  'calendar-feed': { burst: 30, everySeconds: 1, message: TRY_AGAIN },
} satisfies Record<string, RateLimitSpec>;

export type RateLimitName = keyof typeof RATE_LIMITS;

const RATE_LIMIT_KEY = 'frontline:rate-limit';
/** A Redis that answers slower than this is treated as away: the request is not held up. */
const REDIS_TIMEOUT_MS = 250;

/** The named limit a route is held to, per client; checked before its input is read. */
export const RateLimit = (name: RateLimitName) => SetMetadata(RATE_LIMIT_KEY, name);

export function rateLimitOf(reflector: Reflector, context: RouteTarget): RateLimitName | undefined {
  return reflector.getAllAndOverride<RateLimitName | undefined>(RATE_LIMIT_KEY, [context.getHandler(), context.getClass()]);
}

interface Limiter {
  consume(key: string): Promise<RateLimiterRes>;
}

/**
 * A burst then a steady trickle, from two fixed windows: one request per `everySeconds`, and when
 * that is spent, the rest of the burst per `burst × everySeconds`. Over a long stretch a client
 * gets at most twice the steady rate; a refused one waits at most `everySeconds`.
 */
function bursty(spec: RateLimitSpec, make: (points: number, duration: number, part: string) => RateLimiterLike): Limiter {
  const steady = make(1, spec.everySeconds, 'steady');
  if (spec.burst <= 1) return steady;
  return new BurstyRateLimiter(steady, make(spec.burst - 1, spec.burst * spec.everySeconds, 'burst'));
}

/**
 * The api's limiters, on the shared Redis so every api instance counts the same requests. While
 * Redis is away each instance falls back to limits of its own in memory: requests go through,
 * nothing waits for Redis, and the outage is logged once.
 */
@Injectable()
export class RateLimits {
  private readonly shared = new Map<RateLimitName, Limiter>();
  private readonly local = new Map<RateLimitName, Limiter>();
  private redisAway = false;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    for (const [name, spec] of Object.entries(RATE_LIMITS) as [RateLimitName, RateLimitSpec][]) {
      this.shared.set(name, bursty(spec, (points, duration, part) => new RLWrapperTimeouts({
        limiter: new RateLimiterRedis({
          storeClient: redis,
          rejectIfRedisNotReady: true,
          keyPrefix: `${config.REDIS_PREFIX}rate:${name}:${part}`,
          points,
          duration,
        }),
        timeoutMs: REDIS_TIMEOUT_MS,
      })));
      this.local.set(name, bursty(spec, (points, duration) => new RateLimiterMemory({ points, duration })));
    }
  }

  /** Counts one request of `client`; returns 0 when allowed, else the seconds until it may retry. */
  async take(name: RateLimitName, client: string): Promise<number> {
    try {
      await this.consume(name, client);
      return 0;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw refusal;
    }
  }

  private async consume(name: RateLimitName, client: string): Promise<RateLimiterRes> {
    try {
      const res = await this.shared.get(name)!.consume(client);
      this.redisBack();
      return res;
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        this.redisBack();
        throw err;
      }
      if (!this.redisAway) {
        this.redisAway = true;
        this.logger.warn({ err: String(err) }, 'rate limits: Redis is away, each api instance limits in memory until it is back');
      }
      return this.local.get(name)!.consume(client);
    }
  }

  private redisBack(): void {
    if (!this.redisAway) return;
    this.redisAway = false;
    this.logger.info('rate limits: Redis is back, limits are shared again');
  }
}

/**
 * Global guard: a route declaring `@RateLimit(name)` answers 429 with `Retry-After` once its
 * client (the IP, honouring TRUST_PROXY) has spent that limit. Guards run before the pipes, so
 * a refused request is not parsed.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const name = rateLimitOf(this.reflector, context);
    if (!name) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const wait = await this.limits.take(name, clientInfo(req).clientIp ?? 'unknown');
    if (wait === 0) return true;
    http.getResponse<Response>().setHeader('Retry-After', String(wait));
    throw new HttpException(RATE_LIMITS[name].message, HttpStatus.TOO_MANY_REQUESTS);
  }
}
