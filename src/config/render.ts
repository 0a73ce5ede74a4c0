import { type VariableSpec, variables } from './schema.ts';

const ENV_EXAMPLE_HEADER = [
  '# breakwater configuration: every variable, set to its default.',
  '# Copy to .env or set them in the environment; an empty value counts as unset.',
  '# Durations take a unit: ms, s, m, h (250ms, 30s, 5m, 1h).',
  '# Sizes take a unit: b, kb, mb, gb, in binary multiples (1kb = 1024 bytes).',
  '# Generated from src/config/schema.ts by renderEnvExample(); a test keeps them in step.',
];

/** The text of `.env.example`: each variable with a line of meaning and its default. */
export function renderEnvExample(): string {
  const blocks = variables.map((spec) => `# ${spec.description}\n${envLine(spec)}`);

  return `${[ENV_EXAMPLE_HEADER.join('\n'), ...blocks].join('\n\n')}\n`;
}

/** The Markdown table of variables for the README: variable, default, meaning. */
export function renderConfigTable(): string {
  const rows = variables.map((spec) => {
    const cells = [spec.name, defaultShown(spec), spec.description].map(escapeCell);

    return `| ${cells.join(' | ')} |`;
  });

  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

function envLine(spec: VariableSpec): string {
  if (spec.default !== undefined) return `${spec.name}=${spec.default}`;

  // An optional variable without a default stays commented out: unset is its default.
  return spec.required ? `${spec.name}=` : `# ${spec.name}=`;
}

function defaultShown(spec: VariableSpec): string {
  if (spec.default !== undefined) return spec.default;

  return spec.required ? 'required' : '(unset)';
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|');
}
