import { Module } from '@nestjs/common';
import { AuditModule } from '@frontline/audit';
import { caseEngineProvider, caseIntakeProvider } from './case-engine.provider';
import { CaseImportService } from './case-import.service';
import { CasesController, PeopleController } from './cases.controller';
import { CasesService } from './cases.service';

@Module({
  imports: [AuditModule],
  controllers: [PeopleController, CasesController],
  providers: [caseEngineProvider, caseIntakeProvider, CasesService, CaseImportService],
  exports: [CasesService, caseIntakeProvider],
})
export class CasesModule {}
