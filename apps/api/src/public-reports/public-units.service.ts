import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { PublicUnit } from '@frontline/contracts';
import { UnitDirectory } from '@frontline/spine';
import type { PageLang } from '../public-duty/duty-page';
import type { RenderedBody } from '../public-duty/public-duty.service';
import { UnitsRepository } from '../units/units.repository';
import { renderDistrictMap } from './report-map';
import { renderReportPage } from './report-page';

const gzipAsync = promisify(gzip);

/**
 * The unit tree as the public may see it (codes, names, parents: nothing else) and the citizen
 * form built from it. Units change rarely (a geo import), so each body is rendered and gzipped
 * once per version of the tree and language.
 */
@Injectable()
export class PublicUnitsService {
  private version = '';
  private bodies = new Map<string, Promise<RenderedBody>>();

  constructor(
    private readonly directory: UnitDirectory,
    private readonly geometry: UnitsRepository,
  ) {}

  async units(): Promise<PublicUnit[]> {
    await this.directory.fresh();
    return this.directory.roots().flatMap((root) =>
      this.directory.subtree(root.code).map(({ code, name, parentCode }) => ({ code, name, parentCode })),
    );
  }

  json(): Promise<RenderedBody> {
    return this.body('json', (units) => JSON.stringify({ units }));
  }

  page(lang: PageLang): Promise<RenderedBody> {
    return this.body(`page:${lang}`, (units) => renderReportPage(units, lang));
  }

  /** The districts' outlines for the form's map (report-map.ts); empty when the tree has no geometry. */
  map(): Promise<RenderedBody> {
    const root = this.directory.roots()[0]?.code ?? '';
    return this.body('map', () => renderDistrictMap(this.geometry, root));
  }

  private async body(key: string, render: (units: PublicUnit[]) => string | Promise<string>): Promise<RenderedBody> {
    const units = await this.units();
    const version = createHash('sha1').update(JSON.stringify(units)).digest('base64url');
    if (version !== this.version) {
      this.version = version;
      this.bodies = new Map();
    }
    let body = this.bodies.get(key);
    if (!body) {
      body = (async () => {
        const raw = Buffer.from(await render(units));
        return { raw, gzip: await gzipAsync(raw), etag: `W/"${createHash('sha1').update(raw).digest('base64url')}"` };
      })();
      this.bodies.set(key, body);
    }
    return body;
  }
}
