import { Module } from '@nestjs/common';
import { AuditModule } from '@frontline/audit';
import { caseEngineProvider, caseIntakeProvider } from './case-engine.provider';
import { CaseImportService } from './case-import.service';
import { CasesController, PeopleController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';

@Module({
  imports: [AuditModule],
  controllers: [PeopleController, CasesController],
  providers: [caseEngineProvider, caseIntakeProvider, CasesRepository, CasesService, CaseImportService],
  exports: [CasesService, caseIntakeProvider],
})
export class CasesModule {}
