import { Module } from '@nestjs/common';
import { AuditModule } from '@frontline/audit';
import { caseEngineProvider } from './case-engine.provider';
import { CaseImportService } from './case-import.service';
import { CasesController, PeopleController } from './cases.controller';
import { CasesService } from './cases.service';

@Module({
  imports: [AuditModule],
  controllers: [PeopleController, CasesController],
  providers: [caseEngineProvider, CasesService, CaseImportService],
  exports: [CasesService],
})
export class CasesModule {}
