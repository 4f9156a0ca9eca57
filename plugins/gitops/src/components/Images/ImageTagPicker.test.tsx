import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { ImageTagList } from '@internal/plugin-gitops-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { gitopsApiRef } from '../../api';
import { ImageTagPicker } from './ImageTagPicker';
import { EnvironmentDigest, shortDigest } from './ImageDigest';

const RC2 = `sha256:${'99'.repeat(32)}`;
const OLD = `sha256:${'11'.repeat(32)}`;
const entity = { kind: 'component', namespace: 'default', name: 'api' };

function renderPicker(api: object, onPick = jest.fn()) {
  return renderInTestApp(
    <TestApiProvider apis={[[gitopsApiRef, api as any]]}>
      <ImageTagPicker
        entity={entity}
        environment="prod"
        value=""
        onPick={onPick}
      />
    </TestApiProvider>,
  );
}

describe('ImageTagPicker', () => {
  const list: ImageTagList = {
    repository: 'example.org/shop/api',
    previousEnvironment: 'staging',
    items: [
      {
        tag: 'v1.2.0',
        digest: RC2,
        ranInPrevious: true,
        ranAs: 'v1.2.0-rc.2',
        verified: true,
      },
      { tag: 'v1.1.4', digest: OLD, ranInPrevious: false },
    ],
  };

  it('lists the tags newest first with short digests (full on hover) and what ran in the previous environment; a pick sets the version', async () => {
    const getImageTags = jest.fn().mockResolvedValue(list);
    const onPick = jest.fn();
    await renderPicker({ getImageTags }, onPick);
    expect(getImageTags).toHaveBeenCalledWith(entity, 'prod');
    const tags = await screen.findByRole('list', {
      name: 'Tags in the registry (example.org/shop/api)',
    });
    const [first, second] = within(tags).getAllByRole('button');
    expect(first).toHaveAccessibleName('Use v1.2.0');
    expect(first).toHaveTextContent(
      `v1.2.0sha256:${'99'.repeat(6)}verifiedran in staging as v1.2.0-rc.2`,
    );
    expect(
      within(first).getByLabelText(`Image digest ${RC2}`),
    ).toBeInTheDocument();
    expect(second).toHaveTextContent('never ran in staging');
    await userEvent.click(second);
    expect(onPick).toHaveBeenCalledWith('v1.1.4');
  });

  it('says why when the registry could not be read', async () => {
    await renderPicker({
      getImageTags: jest.fn().mockResolvedValue({
        items: [],
        unavailable:
          'registry example.org: GET tags of shop/api failed: ECONNREFUSED',
      }),
    });
    expect(
      await screen.findByText(
        'Registry tags unavailable: registry example.org: GET tags of shop/api failed: ECONNREFUSED',
      ),
    ).toBeInTheDocument();
  });

  it('renders nothing when the API has no image routes', async () => {
    await renderPicker({});
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });
});

describe('EnvironmentDigest', () => {
  it('shows the digest of the version the environment runs', async () => {
    const getImageDigests = jest.fn().mockResolvedValue({
      repository: 'example.org/shop/api',
      digests: { 'v1.2.0-rc.2': RC2, 'v1.2.0-rc.1': null },
    });
    await renderInTestApp(
      <TestApiProvider apis={[[gitopsApiRef, { getImageDigests } as any]]}>
        <EnvironmentDigest
          entity={entity}
          env="staging"
          version="v1.2.0-rc.2"
        />
      </TestApiProvider>,
    );
    expect(
      await screen.findByLabelText(`Image digest ${RC2}`),
    ).toHaveTextContent(shortDigest(RC2));
    expect(getImageDigests).toHaveBeenCalledWith(entity, 'staging');
  });

  it('uses the digests the tab already has for that version, without a request', async () => {
    const getImageDigests = jest.fn();
    await renderInTestApp(
      <TestApiProvider apis={[[gitopsApiRef, { getImageDigests } as any]]}>
        <EnvironmentDigest
          entity={entity}
          env="staging"
          version="v1.2.0-rc.2"
          initial={{ digests: { 'v1.2.0-rc.2': RC2 } }}
        />
        <EnvironmentDigest
          entity={entity}
          env="prod"
          version="v1.1.0"
          initial={{ digests: {}, unavailable: 'no registry configured' }}
        />
      </TestApiProvider>,
    );
    expect(screen.getByLabelText(`Image digest ${RC2}`)).toBeInTheDocument();
    expect(screen.getAllByTestId('image-digest')).toHaveLength(1);
    expect(getImageDigests).not.toHaveBeenCalled();
  });

  it('fetches when the digests it was given do not know the version shown', async () => {
    const getImageDigests = jest.fn().mockResolvedValue({
      digests: { 'v1.2.0-rc.2': RC2 },
    });
    await renderInTestApp(
      <TestApiProvider apis={[[gitopsApiRef, { getImageDigests } as any]]}>
        <EnvironmentDigest
          entity={entity}
          env="staging"
          version="v1.2.0-rc.2"
          initial={{ digests: { 'v1.2.0-rc.1': OLD } }}
        />
      </TestApiProvider>,
    );
    expect(
      await screen.findByLabelText(`Image digest ${RC2}`),
    ).toBeInTheDocument();
    expect(getImageDigests).toHaveBeenCalledTimes(1);
  });
});
