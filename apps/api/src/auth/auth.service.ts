import { Injectable, UnauthorizedException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import argon2 from 'argon2';
import type { LoginRequest, LoginResponse } from '@frontline/contracts';
import { UserEntity } from '@frontline/database';
import { UnitDirectory } from '@frontline/spine';
import { TokenService } from './token.service';

// Verifying against a real hash when the user is unknown keeps response times alike.
const DUMMY_HASH = argon2.hash('frontline-timing-equaliser');

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly units: UnitDirectory,
    private readonly tokens: TokenService,
  ) {}

  async login(req: LoginRequest): Promise<LoginResponse> {
    const user = await this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username AND u.active', { username: req.username })
      .getOne();
    const ok = await argon2.verify(user?.passwordHash ?? (await DUMMY_HASH), req.password).catch(() => false);
    if (!user || !ok) throw new UnauthorizedException('wrong username or password');

    const unit = await this.units.resolve(user.unitCode);
    if (!unit) throw new UnauthorizedException('the account has no valid unit');
    return {
      accessToken: this.tokens.sign(
        { userId: user.id, username: user.username, role: user.role, unitCode: user.unitCode },
        user.tokenVersion,
      ),
      user: {
        username: user.username,
        role: user.role,
        unit: { code: unit.code, name: unit.name, level: unit.level },
        displayName: user.displayName,
      },
    };
  }
}
