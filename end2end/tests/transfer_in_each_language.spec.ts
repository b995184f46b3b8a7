import { expect, test, type Page } from "@playwright/test";
import { backToEnglish, hydrated, logInHere, onSmallPhone, sessionOf, visit } from "./support";

const bob = { email: "bob@example.com", name: "Bob Keller" };
const alice = { email: "alice@example.com", name: "Alice Martin" };

/** What a user reads in each language the Manager speaks besides English, and a product
 * no other journey moves, sent from one demo user to the other. */
const languages = [
  {
    name: "French",
    sender: bob,
    from: null,
    product: "Bob Drive",
    receiver: alice,
    menu: "Français",
    transfers: "Transferts de produits",
    start: "Transférer des produits",
    accept: "J’ai lu et j’accepte les conditions générales",
    transfer: "Transférer",
    warnings: "Avertissements",
    validate: "Valider les avertissements",
    link: "Lien de transfert",
    receiveTitle: "Recevoir des produits",
    receive: "Recevoir les produits",
    create: "Créer une nouvelle Organisation",
    newName: "Nom de la nouvelle Organisation",
    createSubmit: "Créer",
    destination: "Organisation de destination",
    completed: "Terminé",
    products: "Produits",
    organization: "Organisation",
  },
  {
    name: "German",
    sender: bob,
    from: null,
    product: "bob-consulting.example",
    receiver: alice,
    menu: "Deutsch",
    transfers: "Produktübertragungen",
    start: "Produkte übertragen",
    accept: "Ich habe die Allgemeinen Geschäftsbedingungen gelesen und akzeptiere sie",
    transfer: "Übertragen",
    warnings: "Warnungen",
    validate: "Warnungen bestätigen",
    link: "Übertragungslink",
    receiveTitle: "Produkte empfangen",
    receive: "Produkte empfangen",
    create: "Neue Organisation erstellen",
    newName: "Name der neuen Organisation",
    createSubmit: "Erstellen",
    destination: "Zielorganisation",
    completed: "Abgeschlossen",
    products: "Produkte",
    organization: "Organisation",
  },
  {
    name: "Italian",
    sender: alice,
    from: "Alice Holding",
    product: "alice-holding.example",
    receiver: bob,
    menu: "Italiano",
    transfers: "Trasferimenti di prodotti",
    start: "Trasferisci prodotti",
    accept: "Ho letto e accetto le condizioni generali",
    transfer: "Trasferisci",
    warnings: "Avvertenze",
    validate: "Conferma le avvertenze",
    link: "Link di trasferimento",
    receiveTitle: "Ricevi prodotti",
    receive: "Ricevi i prodotti",
    create: "Crea una nuova Organizzazione",
    newName: "Nome della nuova Organizzazione",
    createSubmit: "Crea",
    destination: "Organizzazione di destinazione",
    completed: "Completato",
    products: "Prodotti",
    organization: "Organizzazione",
  },
];

for (const words of languages) {
  test(`the whole journey in ${words.name}: ${words.sender.name} sends, ${words.receiver.name} receives into a new Organization`, async ({ browser }) => {
    const sender = await sessionOf(browser, words.sender.email);
    const receiver = await sessionOf(browser, words.receiver.email);
    try {
      await journey(words, sender, receiver);
    } finally {
      await backToEnglish(sender);
      await backToEnglish(receiver);
    }
  });
}

async function journey(words: (typeof languages)[number], sender: Page, receiver: Page) {
  await sender.getByRole("button", { name: words.sender.name }).click();
  await sender.getByRole("menuitemradio", { name: words.menu }).click();
  if (words.from) {
    await sender.getByRole("combobox", { name: words.organization, exact: true }).selectOption({ label: words.from });
  }
  await sender.getByRole("link", { name: words.transfers }).click();
  await sender.getByRole("button", { name: words.start }).click();
  await sender.getByRole("checkbox", { name: words.product, exact: true }).check();
  await sender.getByRole("checkbox", { name: words.accept }).check();
  await sender.getByRole("button", { name: words.transfer, exact: true }).click();
  await expect(sender.getByRole("heading", { name: words.warnings })).toBeVisible();
  await sender.getByRole("button", { name: words.validate }).click();
  const link = await sender.getByRole("textbox", { name: words.link }).inputValue();

  await receiver.getByRole("button", { name: words.receiver.name }).click();
  await receiver.getByRole("menuitemradio", { name: words.menu }).click();
  await receiver.goto(link);
  await hydrated(receiver);
  await expect(receiver.getByRole("heading", { name: words.receiveTitle, level: 1 })).toBeVisible();
  const receive = receiver.getByRole("button", { name: words.receive });
  await expect(receive).toBeDisabled();
  // Named to sort after the receiver's demo Organizations, which later journeys start on.
  const newOrganization = `${words.receiver.name.split(" ")[0]} Ventures ${words.name}`;
  await receiver.getByRole("button", { name: words.create }).click();
  await receiver.getByRole("textbox", { name: words.newName }).fill(newOrganization);
  await receiver.getByRole("button", { name: words.createSubmit, exact: true }).click();
  await expect(receiver.getByRole("combobox", { name: words.destination })).toHaveText(new RegExp(newOrganization));
  await receiver.getByRole("checkbox", { name: words.accept }).check();
  await receive.click();
  await expect(receiver.getByText(words.completed).first()).toBeVisible();
  await receiver.getByRole("link", { name: words.products, exact: true }).click();
  await expect(receiver.getByRole("combobox", { name: words.organization, exact: true })).toHaveValue(/org-/);
  await expect(receiver.getByRole("link", { name: words.product })).toBeVisible();

  // On a small phone, the sender's transfers list fits the screen with its words whole.
  await visit(sender, "/transfers");
  await onSmallPhone(sender, "the transfers list", () =>
    expect(sender.getByRole("row").filter({ hasText: newOrganization })).toBeVisible(),
  );
}

test("a first visit is in the browser's language when the Manager speaks it", async ({ browser }) => {
  for (const [locale, heading] of [
    ["de-CH", "Melden Sie sich bei Ihrem Konto an"],
    ["it-CH", "Acceda al suo account"],
    ["fr-CH", "Connectez-vous à votre compte"],
    ["es-ES", "Log in to your account"],
  ]) {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    await page.goto("/login");
    await expect(page.getByRole("heading", { name: heading })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", locale === "es-ES" ? "en" : locale.slice(0, 2));
    await context.close();
  }
});

test("a user's chosen language survives logging out, and follows them to another browser", async ({ browser }) => {
  const carol = await sessionOf(browser, "carol@example.com");
  await carol.getByRole("button", { name: "Carol Dubois" }).click();
  await carol.getByRole("menuitemradio", { name: "Italiano" }).click();
  await expect(carol.getByRole("heading", { name: "Prodotti", level: 1 })).toBeVisible();
  await carol.getByRole("button", { name: "Carol Dubois" }).click();
  await carol.getByRole("menuitem", { name: "Esci" }).click();
  await expect(carol).toHaveURL(/\/login/);

  // Another browser, in English: after logging in, the Manager speaks Italian to carol.
  const context = await browser.newContext({ locale: "en-US" });
  const elsewhere = await context.newPage();
  await visit(elsewhere, "/login");
  await expect(elsewhere.getByRole("heading", { name: "Log in to your account" })).toBeVisible();
  await logInHere(elsewhere, "carol@example.com");
  await expect(elsewhere.getByRole("heading", { name: "Prodotti", level: 1 })).toBeVisible();
  await expect(elsewhere.locator("html")).toHaveAttribute("lang", "it");
  await elsewhere.reload();
  await expect(elsewhere.getByRole("heading", { name: "Prodotti", level: 1 })).toBeVisible();
  await backToEnglish(elsewhere);
  await context.close();
});
