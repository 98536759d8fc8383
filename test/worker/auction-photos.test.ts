import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createAuction, expectProblem, signUp, type TestUser } from "../helpers";
import { PNG } from "../images";

/** SPEC §4/§10: an auction's imageUrls are https URLs or the seller's own uploads (`/media/…`). */

async function uploadPhoto(user: TestUser): Promise<string> {
  const response = await exports.default.fetch(
    new Request("https://auction.test/api/v1/uploads", {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}`, "content-type": "image/png" },
      body: PNG,
    }),
  );
  const body: { url: string } = await response.json();
  if (response.status !== 201) throw new Error(`upload failed: ${JSON.stringify(body)}`);
  return body.url;
}

const listing = { title: "Film camera", startingPrice: 10_000, durationSeconds: 3600 };

const create = (seller: TestUser, imageUrls: string[]) =>
  call("POST", "/api/v1/auctions", { token: seller.token, body: { ...listing, imageUrls } });

const patch = (user: TestUser, id: string, imageUrls: string[]) =>
  call("PATCH", `/api/v1/auctions/${id}`, { token: user.token, body: { imageUrls } });

const listingsOf = async (seller: TestUser) =>
  (await call("GET", "/api/v1/me/auctions", { token: seller.token })).body.items;

describe("auction photos", () => {
  it("lists an item with the seller's own uploads and https URLs, in the order given", async () => {
    const seller = await signUp("photoseller");
    const first = await uploadPhoto(seller);
    const second = await uploadPhoto(seller);
    const imageUrls = [first, "https://img.example/a.jpg", second];
    const created = await create(seller, imageUrls);
    expect(created.status).toBe(201);
    expect(created.body.imageUrls).toEqual(imageUrls);
    expect((await call("GET", `/api/v1/auctions/${created.body.id}`)).body.imageUrls).toEqual(imageUrls);
  });

  it("refuses someone else's upload with 422 UPLOAD_NOT_OWNED on imageUrls.N, and lists nothing", async () => {
    const seller = await signUp("photoseller");
    const stranger = await signUp("photostranger");
    const mine = await uploadPhoto(seller);
    const theirs = await uploadPhoto(stranger);
    const res = await create(seller, [mine, "https://img.example/a.jpg", theirs]);
    expectProblem(res, 422, "UPLOAD_NOT_OWNED");
    expect(res.body.errors).toEqual([{ path: "imageUrls.2", message: "not a photo you uploaded" }]);
    expect(await listingsOf(seller)).toEqual([]);
  });

  it("refuses a well-formed photo address nobody uploaded the same way", async () => {
    const seller = await signUp("photoseller");
    const invented = `/media/u/${seller.id}/img_00000000000000000000.png`;
    const res = await create(seller, [invented]);
    expectProblem(res, 422, "UPLOAD_NOT_OWNED");
    expect(res.body.errors).toEqual([{ path: "imageUrls.0", message: "not a photo you uploaded" }]);
  });

  it.each([
    ["a media path of another shape", "/media/evil.svg"],
    ["another site-relative path", "/api/v1/me"],
    ["a protocol-relative URL", "//evil.example/a.png"],
    ["an http URL", "http://img.example/a.jpg"],
    ["a javascript: URL", "javascript:alert(1)"],
  ])("refuses %s as an invalid body (422 VALIDATION_FAILED on imageUrls.0)", async (_name, url) => {
    const seller = await signUp("photoseller");
    const res = await create(seller, [url]);
    expectProblem(res, 422, "VALIDATION_FAILED");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["imageUrls.0"]);
  });

  it("lets the seller change the photos to their own uploads, never to someone else's", async () => {
    const seller = await signUp("photoseller");
    const stranger = await signUp("photostranger");
    const auction = await createAuction(seller, { imageUrls: ["https://img.example/a.jpg"] });
    const mine = await uploadPhoto(seller);
    const changed = await patch(seller, auction.id, [mine]);
    expect(changed.status).toBe(200);
    expect(changed.body.imageUrls).toEqual([mine]);
    const refused = await patch(seller, auction.id, [mine, await uploadPhoto(stranger)]);
    expectProblem(refused, 422, "UPLOAD_NOT_OWNED");
    expect(refused.body.errors).toEqual([{ path: "imageUrls.1", message: "not a photo you uploaded" }]);
    expect((await call("GET", `/api/v1/auctions/${auction.id}`)).body.imageUrls).toEqual([mine]);
  });

  it("still refuses another user's edit with 403 FORBIDDEN when they send their own uploads", async () => {
    const seller = await signUp("photoseller");
    const stranger = await signUp("photostranger");
    const auction = await createAuction(seller);
    expectProblem(await patch(stranger, auction.id, [await uploadPhoto(stranger)]), 403, "FORBIDDEN");
    expect((await call("GET", `/api/v1/auctions/${auction.id}`)).body.imageUrls).toEqual([]);
  });
});
