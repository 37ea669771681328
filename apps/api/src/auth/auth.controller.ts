import { Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { LoginRequest, loginRequestSchema, LoginResponse } from '@frontline/contracts';
import { ValidBody } from '../common/validation';
import { Public } from './auth.guard';
import { AuthService, LoginLocked } from './auth.service';

@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(
    @ValidBody(loginRequestSchema) body: LoginRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponse> {
    try {
      return await this.auth.login(body);
    } catch (err) {
      if (err instanceof LoginLocked) res.setHeader('Retry-After', String(err.retryAfterSeconds));
      throw err;
    }
  }
}
