import { Module } from '@nestjs/common';
import { AuditModule } from '@frontline/audit';
import { caseEngineProvider } from './case-engine.provider';
import { CasesController, PeopleController } from './cases.controller';
import { CasesService } from './cases.service';

@Module({
  imports: [AuditModule],
  controllers: [PeopleController, CasesController],
  providers: [caseEngineProvider, CasesService],
  exports: [CasesService],
})
export class CasesModule {}
