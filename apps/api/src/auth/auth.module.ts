import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccountStatus } from './account-status';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginAttempts } from './login-attempts';
import { RolesGuard } from './roles.guard';
import { TokenService } from './token.service';

@Module({
  controllers: [AuthController],
  providers: [
    AuthService,
    LoginAttempts,
    TokenService,
    AccountStatus,
    // In this order: who the caller is, then whether the policy table lets their role in.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [TokenService, AccountStatus],
})
export class AuthModule {}
