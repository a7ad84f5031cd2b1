// The pre-commit hook the README gives, run as Git runs it: in a scratch repository whose
// node_modules/.bin/aep-dest is this checkout's CLI. A commit without configs passes, one with an
// error or a warning is stopped with the findings on the terminal, a clean one passes.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPO_ROOT, VALID_CONFIG, edit, tempFiles } from '../helpers';

/** The README's ```sh block that starts with the hook's shebang and names the hook file. */
function hookFromReadme(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const hooks = blocks.filter((b) => b.startsWith('#!/bin/sh\n# .git/hooks/pre-commit'));
  assert.equal(hooks.length, 1, 'one pre-commit hook in the README');
  return hooks[0] as string;
}

function git(cwd: string, ...args: string[]) {
  return spawnSync('git', args, { cwd, encoding: 'utf8', timeout: 120_000 });
}

const hasGit = git(REPO_ROOT, '--version').status === 0;

test(
  'the README pre-commit hook stops a commit with findings',
  { skip: !hasGit && 'no git' },
  () => {
    const repo = tempFiles({ 'README.md': '# destinations\n' });
    for (const args of [
      ['init', '-q', '.'],
      ['config', 'user.email', 'ci@example.invalid'],
      ['config', 'user.name', 'CI'],
      ['config', 'commit.gpgsign', 'false'],
    ])
      assert.equal(git(repo, ...args).status, 0);
    const hook = path.join(repo, '.git', 'hooks', 'pre-commit');
    fs.writeFileSync(hook, hookFromReadme(), { mode: 0o755 });
    // `npx --no-install aep-dest` finds the package's bin here, as in a repository that installed it.
    const bin = path.join(repo, 'node_modules', '.bin');
    fs.mkdirSync(bin, { recursive: true });
    const tsx = pathToFileURL(path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs'));
    const cli = path.join(REPO_ROOT, 'server', 'src', 'cli', 'aep-dest.ts');
    fs.writeFileSync(
      path.join(bin, 'aep-dest'),
      `#!/bin/sh\nexec "${process.execPath}" --import "${tsx.href}" "${cli}" "$@"\n`,
      { mode: 0o755 },
    );
    fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\n');

    // Git sends a hook's output to stderr; both are read, whichever a version uses.
    const commit = (message: string) => {
      const result = git(repo, 'commit', '-q', '-m', message);
      return { status: result.status, output: result.stdout + result.stderr };
    };
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
      fs.writeFileSync(path.join(repo, file), text);
      assert.equal(git(repo, 'add', file).status, 0);
    };

    assert.equal(git(repo, 'add', 'README.md', '.gitignore').status, 0);
    const plain = commit('no config in this commit');
    assert.equal(plain.status, 0, plain.output);

    const config = 'destinations/emea/winback known.destination.jsonc';
    write(config, edit(VALID_CONFIG, '"123-ABC-456"', '"123-abc-456"'));
    const stopped = commit('a config with an error');
    assert.notEqual(stopped.status, 0, 'the commit went through');
    assert.match(
      stopped.output,
      /^destinations\/emea\/winback known\.destination\.jsonc:4:17 error invalid-munchkin-id /m,
    );
    assert.equal(git(repo, 'log', '--format=%s').stdout, 'no config in this commit\n');

    // A warning stops it too (--max-warnings 0); a suppressed finding does not.
    write(
      config,
      edit(VALID_CONFIG, '"entities": ["person"]', '"entities": ["person", "account"]'),
    );
    assert.notEqual(commit('a config with a warning').status, 0);
    write(
      config,
      `/* aep-dest-disable batch-only-audience -- reviewed: daily batch is fine */\n${edit(VALID_CONFIG, '"entities": ["person"]', '"entities": ["person", "account"]')}`,
    );
    const passed = commit('a config with a reviewed suppression');
    assert.equal(passed.status, 0, passed.output);
    assert.match(passed.output, /1 file checked: 0 errors, 0 warnings \(1 suppressed\)/);
  },
);
