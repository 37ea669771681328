import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Inject } from '@nestjs/common';
import type { Response } from 'express';
import type { ErrorBody } from '@frontline/contracts';
import { LOGGER } from '@frontline/spine';
import type { Logger } from '@frontline/logger';

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Errors from the JSON body parser, before any controller runs. */
interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  message?: string;
}

/** The one place errors become responses: always `{statusCode, error, message, details?}`. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception instanceof Error ? exception.stack : String(exception) }, 'unhandled error');
    }
    if (!res.headersSent) res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response && 'message' in response) {
        const r = response as { message: string | string[]; details?: ErrorBody['details'] };
        return {
          statusCode: status,
          error: REASON[status] ?? 'Error',
          message: Array.isArray(r.message) ? r.message.join('; ') : r.message,
          ...(r.details ? { details: r.details } : {}),
        };
      }
      return { statusCode: status, error: REASON[status] ?? 'Error', message: String(response) };
    }
    // A foreign key refused a write (a referenced row vanished after the service's own check).
    if ((exception as { code?: unknown })?.code === '23503') {
      return { statusCode: 409, error: REASON[409], message: 'a person, case or record this refers to does not exist' };
    }
    const parserError = exception as BodyParserError;
    if (parserError?.type === 'entity.too.large') {
      return { statusCode: 413, error: REASON[413], message: 'request body is too large' };
    }
    if (parserError?.type === 'entity.parse.failed') {
      return { statusCode: 400, error: REASON[400], message: 'request body is not valid JSON' };
    }
    if (parserError?.expose && parserError.status && parserError.status < 500) {
      return {
        statusCode: parserError.status,
        error: REASON[parserError.status] ?? 'Error',
        message: parserError.message ?? 'bad request',
      };
    }
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: REASON[500], message: 'internal error' };
  }
}
