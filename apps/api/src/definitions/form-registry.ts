import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { Finding, FormSchema, ProcessGraph } from '@xuncha/bpmn';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';

/**
 * The form-js schemas under FORMS_DIR (processes/forms/ by default), found by their `id`, as
 * Camunda Modeler saves them (`*.form`). Read at each deployment, so a form edited on disk is
 * bound by the next deployment.
 */
@Injectable()
export class FormRegistry {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Every form by id; a file that is not a form-js schema is skipped with no effect. */
  async all(): Promise<Map<string, FormSchema>> {
    const forms = new Map<string, FormSchema>();
    let files: string[];
    try {
      files = (await fs.readdir(this.config.formsDir)).filter((file) => file.endsWith('.form')).sort();
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return forms;
      throw error;
    }
    for (const file of files) {
      const schema = JSON.parse(await fs.readFile(path.join(this.config.formsDir, file), 'utf8')) as FormSchema;
      if (!Array.isArray(schema.components)) continue;
      forms.set(schema.id ?? path.basename(file, '.form'), schema);
    }
    return forms;
  }

  /**
   * Binds the forms the graph's user tasks name into the graph, and folds them into its
   * checksum (a changed form makes a new version). Answers a finding per form that is missing.
   */
  async bind(graph: ProcessGraph): Promise<Finding[]> {
    const wanted = Object.values(graph.nodes).filter((node) => node.form?.formId);
    if (wanted.length === 0) return [];
    const available = await this.all();
    const findings: Finding[] = [];
    const bound: Record<string, FormSchema> = {};
    for (const node of wanted) {
      const formId = node.form!.formId!;
      const form = available.get(formId);
      if (form) bound[formId] = form;
      else {
        findings.push({
          rule: 'form-definition',
          severity: 'error',
          elementId: node.id,
          elementType: 'bpmn:UserTask',
          message: `The form "${formId}" is not deployed: no ${formId}.form (form-js, "id": "${formId}") under ${path.relative(process.cwd(), this.config.formsDir) || this.config.formsDir}`,
          line: null,
        });
      }
    }
    if (findings.length > 0) return findings;
    graph.forms = bound;
    graph.checksum = createHash('sha256').update(graph.checksum).update(JSON.stringify(bound)).digest('hex');
    return [];
  }
}
