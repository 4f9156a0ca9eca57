/* eslint-disable no-console */
/**
 * Seeds a registry with the example images (`yarn workspace
 * @internal/argocd-emulator seed:registry <registry URL>`; `npm start` runs
 * it after starting its registry). Prints one line; exits 1 on failure.
 */
import { pushImages } from './pushImages';
import { seedImages } from './seedImages';
import { UNBUILT_TAGS } from '../seeding/unbuiltTags';

async function main() {
  const url = process.argv[2] ?? process.env.GITOPS_LOCAL_REGISTRY_URL;
  if (!url) {
    console.error(
      'usage: seed:registry <registry URL, e.g. http://127.0.0.1:5000>',
    );
    process.exit(2);
  }
  const images = seedImages();
  const tags = await pushImages({ url }, images);
  const repos = new Set(images.map(i => i.repository)).size;
  console.log(
    `[registry] seeded ${tags} tags (${
      images.length
    } images) in ${repos} repositories; deliberately missing (never built): ${UNBUILT_TAGS.join(
      ', ',
    )}`,
  );
}

main().catch(e => {
  console.error(`[registry] seeding failed: ${(e as Error).message}`);
  process.exit(1);
});
