import { expect, test } from "@playwright/test";
import { hydrated, sessionOf } from "./support";

test("the whole journey in French: bob sends, alice receives into a new Organization", async ({ browser }) => {
  const bob = await sessionOf(browser, "bob@example.com");
  await bob.getByRole("button", { name: "Bob Keller" }).click();
  await bob.getByRole("menuitemradio", { name: "Français" }).click();
  await bob.getByRole("link", { name: "Transferts de produits" }).click();
  await bob.getByRole("button", { name: "Transférer des produits" }).click();
  await bob.getByRole("checkbox", { name: "Bob Drive", exact: true }).check();
  await bob.getByRole("checkbox", { name: "J’ai lu et j’accepte les conditions générales" }).check();
  await bob.getByRole("button", { name: "Transférer", exact: true }).click();
  await expect(bob.getByRole("heading", { name: "Avertissements" })).toBeVisible();
  await bob.getByRole("button", { name: "Valider les avertissements" }).click();
  const link = await bob.getByRole("textbox", { name: "Lien de transfert" }).inputValue();

  const alice = await sessionOf(browser, "alice@example.com");
  await alice.getByRole("button", { name: "Alice Martin" }).click();
  await alice.getByRole("menuitemradio", { name: "Français" }).click();
  await alice.goto(link);
  await hydrated(alice);
  await expect(alice.getByRole("heading", { name: "Recevoir des produits" })).toBeVisible();
  const receive = alice.getByRole("button", { name: "Recevoir les produits" });
  await expect(receive).toBeDisabled();
  await alice.getByRole("button", { name: "Créer une nouvelle Organisation" }).click();
  await alice.getByRole("textbox", { name: "Nom de la nouvelle Organisation" }).fill("Alice Ventures");
  await alice.getByRole("button", { name: "Créer", exact: true }).click();
  await expect(alice.getByRole("combobox", { name: "Organisation de destination" })).toHaveText(/Alice Ventures/);
  await alice.getByRole("checkbox", { name: "J’ai lu et j’accepte les conditions générales" }).check();
  await receive.click();
  await expect(alice.getByText("Terminé").first()).toBeVisible();
  await alice.getByRole("link", { name: "Produits", exact: true }).click();
  await expect(alice.getByRole("combobox", { name: "Organisation", exact: true })).toHaveValue(/org-/);
  await expect(alice.getByRole("link", { name: "Bob Drive" })).toBeVisible();
});
