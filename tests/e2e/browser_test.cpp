// The page in headless Chromium, driven over W3C WebDriver: results, facets, URL state, letter view, screenshots.
#include "schema.h"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "http_process.h"
#include "test_support.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kChromium = "/usr/bin/chromium";
const fs::path kChromeDriver = "/usr/bin/chromedriver";

// A minimal W3C WebDriver client: one session, JSON over HTTP, errors as test failures.
class WebDriver {
public:
    WebDriver(int port, const fs::path& profile) : client_("127.0.0.1", port) {
        client_.set_read_timeout(120, 0);
        client_.set_connection_timeout(10, 0);
        const json capabilities = {
            {"capabilities",
             {{"alwaysMatch",
               {{"browserName", "chrome"},
                {"goog:chromeOptions",
                 {{"binary", kChromium.string()},
                  {"args",
                   {"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--user-data-dir=" + profile.string(), "--window-size=1300,1000",
                    "--hide-scrollbars", "--force-device-scale-factor=1"}}}}}}}}};
        const auto answer = call("POST", "/session", capabilities);
        session_ = answer["value"]["sessionId"].get<std::string>();
    }
    ~WebDriver() {
        if (!session_.empty()) client_.Delete(("/session/" + session_).c_str());
    }
    WebDriver(const WebDriver&) = delete;
    WebDriver& operator=(const WebDriver&) = delete;

    void go(const std::string& url) { call("POST", path("/url"), {{"url", url}}); }
    std::string url() { return call("GET", path("/url"))["value"].get<std::string>(); }
    void back() { call("POST", path("/back"), json::object()); }
    void window_size(int width, int height) {
        call("POST", path("/window/rect"), {{"width", width}, {"height", height}});
    }
    json script(const std::string& body) {
        return call("POST", path("/execute/sync"), {{"script", body}, {"args", json::array()}})["value"];
    }
    std::string find(const std::string& css) {
        const auto answer = call("POST", path("/element"), {{"using", "css selector"}, {"value", css}});
        return answer["value"].begin().value().get<std::string>();  // the element reference
    }
    void click(const std::string& css) { call("POST", path("/element/" + find(css) + "/click"), json::object()); }
    void type(const std::string& css, const std::string& text) {
        call("POST", path("/element/" + find(css) + "/value"), {{"text", text}});
    }
    // Polls a JavaScript condition until it is true; false after `patience`.
    bool wait_until(const std::string& condition, std::chrono::seconds patience = std::chrono::seconds(30)) {
        const auto deadline = std::chrono::steady_clock::now() + patience;
        while (std::chrono::steady_clock::now() < deadline) {
            if (script("return Boolean(" + condition + ");").get<bool>()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }
    void screenshot(const fs::path& png) {
        const auto base64 = call("GET", path("/screenshot"))["value"].get<std::string>();
        const auto encoded = png.string() + ".b64";
        imr::test::write_file(encoded, base64);
        const auto decoded = imr::test::run("base64 -d " + imr::test::quote(encoded) + " > " + imr::test::quote(png));
        fs::remove(encoded);
        REQUIRE(decoded.exit_code == 0);
    }

private:
    std::string path(const std::string& tail) const { return "/session/" + session_ + tail; }

    json call(const std::string& method, const std::string& target, const json& body = nullptr) {
        httplib::Result result = method == "GET" ? client_.Get(target.c_str())
                                                 : client_.Post(target.c_str(), body.dump(), "application/json");
        if (!result) throw std::runtime_error("WebDriver did not answer " + method + " " + target);
        auto answer = json::parse(result->body);
        if (result->status != 200)
            throw std::runtime_error("WebDriver " + method + " " + target + " -> " + std::to_string(result->status) +
                                     ": " + answer.dump().substr(0, 600));
        return answer;
    }

    httplib::Client client_;
    std::string session_;
};

bool ready(int port) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(1, 0);
    const auto status = client.Get("/status");
    return status && status->status == 200 && json::parse(status->body)["value"]["ready"] == true;
}

}  // namespace

TEST_CASE("the page in headless Chromium: results, facets, URL state, letter view") {
    if (!fs::exists(kChromium) || !fs::exists(kChromeDriver)) {
        MESSAGE("skipped: " << kChromium << " or " << kChromeDriver << " is not installed (make deps installs them)");
        return;
    }
    imr::test::TempDir dir;
    fs::create_directories(dir / "letters");
    for (const auto& entry : fs::recursive_directory_iterator(imr::test::source_dir() / "data" / "samples"))
        if (entry.path().extension() == ".txt" || entry.path().extension() == ".pdf")
            fs::copy_file(entry.path(), dir / "letters" / entry.path().filename());
    const auto indexed = imr::test::run(imr::test::quote(imr::test::index_bin()) + " --db " +
                                        imr::test::quote(dir / "db") + " " + imr::test::quote(dir / "letters"));
    REQUIRE((indexed.exit_code == 0 || indexed.exit_code == 1));
    imr::test::SearchServer server(dir / "db", dir / "server.log");
    const std::string base = "http://127.0.0.1:" + std::to_string(server.port());

    const int driver_port = imr::test::free_loopback_port();
    imr::test::ChildProcess driver({kChromeDriver.string(), "--port=" + std::to_string(driver_port)},
                                   dir / "chromedriver.log");
    for (int i = 0; i < 300 && !ready(driver_port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    REQUIRE_MESSAGE(ready(driver_port), driver.log());

    WebDriver browser(driver_port, dir / "profile");
    const fs::path shots = IMR_BINARY_DIR;

    // Opening a bookmarked search shows it.
    browser.go(base + "/?q=soma");
    REQUIRE_MESSAGE(browser.wait_until("document.querySelectorAll('#hits li.hit').length > 0"), server.process().log());
    REQUIRE(browser.wait_until("document.querySelectorAll('#facet-groups .facet-count').length > 0"));
    CHECK(browser.script("return document.getElementById('q').value;") == "soma");
    CHECK(browser.wait_until("document.querySelector('#chart svg') !== null"));
    // "4 determinations in 2 letters" (the time taken follows, and differs from one search to the next).
    const std::string counts_js = "document.getElementById('results-heading').textContent.replace(/ letters?.*$/, '')";
    const auto total_before = browser.script("return " + counts_js + ";");
    CHECK(std::regex_match(total_before.get<std::string>(), std::regex(R"(\d[\d,]* determinations? in \d[\d,]*)")));
    CHECK(browser.script("return document.querySelectorAll('#hits li.hit .badge').length === "
                         "document.querySelectorAll('#hits li.hit').length;") == true);
    CHECK(browser.script("return document.querySelector('#hits .snippet mark') !== null;") == true);
    // Every facet of the contract has its group.
    CHECK(browser.script("return document.querySelectorAll('#facet-groups details.facet').length;") ==
          imr::schema::fields_with(imr::schema::kFacet).size());
    browser.screenshot(shots / "browser-screenshot.png");

    // A facet value that narrows the results: fewer than all, more than none.
    const auto pick = browser.script(R"(
        const total = Number(document.getElementById('results-heading').textContent.replace(/[^0-9].*$/, '').replace(/,/g, ''));
        for (const box of document.querySelectorAll('#facet-groups input[type=checkbox]')) {
          const count = Number(box.parentElement.querySelector('.facet-count').textContent.replace(/,/g, ''));
          if (count > 0 && count < total) return {id: box.id, facet: box.dataset.facet, value: box.value, count};
        }
        return null;)");
    REQUIRE_MESSAGE(!pick.is_null(), "no facet value narrows the soma results");
    const auto facet = pick["facet"].get<std::string>();
    const auto count = pick["count"].get<int>();
    // The facet may sit in a collapsed group on narrow screens; open it so the click is a real one.
    browser.script("document.getElementById('" + pick["id"].get<std::string>() + "').closest('details').open = true;");
    browser.click("#" + pick["id"].get<std::string>());
    REQUIRE(browser.wait_until("new URLSearchParams(location.search).getAll('" + facet + "').length === 1"));
    REQUIRE(browser.wait_until("document.getElementById('results-heading').textContent.startsWith('" +
                               std::to_string(count) + " determination')"));
    const auto url = browser.url();
    CHECK(url.find("q=soma") != std::string::npos);
    CHECK(browser.script("return new URLSearchParams(location.search).get('" + facet + "');") == pick["value"]);
    CHECK(browser.script("return document.querySelectorAll('#hits li.hit').length;") == std::min(count, 10));
    CHECK(browser.script("return document.getElementById('" + pick["id"].get<std::string>() + "') !== null;") == true);
    CHECK(browser.script("return document.querySelector('#facet-groups input[data-facet=\"" + facet +
                         "\"]:checked') !== null;") == true);
    // The ticked value shows the count it was picked by, which is the number of results.
    CHECK(browser.script("return document.querySelector('#facet-groups input[data-facet=\"" + facet +
                         "\"]:checked').parentElement.querySelector('.facet-count').textContent;") == std::to_string(count));
    CHECK(browser.script("return document.getElementById('csv-link').getAttribute('href');").get<std::string>().find(
              facet + "=") != std::string::npos);

    // Back restores the earlier search, from the URL alone.
    browser.back();
    CHECK(browser.wait_until(counts_js + " === " + total_before.dump()));
    CHECK(browser.script("return new URLSearchParams(location.search).has('" + facet + "');") == false);

    // The letter view: the hit's determination is marked and in view.
    browser.click("#hits li.hit .hit-title a");
    REQUIRE(browser.wait_until("document.getElementById('letter-heading') !== null"));
    CHECK(browser.script("return new URLSearchParams(location.search).has('letter');") == true);
    CHECK(browser.wait_until("document.querySelector('.determination.current') !== null"));
    CHECK(browser.script("return document.querySelector('.letter-section mark, .rationale mark') !== null;") == true);
    CHECK(browser.script("return document.querySelectorAll('.letter-section').length > 1;") == true);
    // The determination shows whom the decision rested on and what each party cited, in words.
    CHECK(browser.script("return document.querySelector('.determination.current').textContent.includes(\"Reviewer's basis MTUS\");") == true);
    CHECK(browser.script("return document.querySelector('.determination.current').textContent.includes(\"Claims administrator's basis\");") == true);
    CHECK(browser.script(R"(
        const r = document.querySelector('.determination.current').getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight;)") == true);
    browser.screenshot(shots / "browser-screenshot-letter.png");

    // A misspelling offers the spelling the index knows; following it searches again.
    browser.go(base + "/?q=carisoprodal");
    REQUIRE(browser.wait_until("!document.getElementById('did-you-mean').hidden"));
    CHECK(browser.script("return document.getElementById('did-you-mean').textContent;") ==
          "Did you mean carisoprodol?");
    browser.click("#did-you-mean a");
    REQUIRE(browser.wait_until("new URLSearchParams(location.search).get('q') === 'carisoprodol'"));
    CHECK(browser.wait_until("document.querySelectorAll('#hits li.hit').length > 0"));
    CHECK(browser.script("return document.getElementById('q').value;") == "carisoprodol");

    // A query read otherwise than it may have been meant says how it was read: lowercase "or".
    browser.go(base + "/?q=soma%20or%20norco");
    REQUIRE(browser.wait_until("!document.getElementById('interpreted-as').hidden"));
    const std::string notice = browser.script("return document.getElementById('interpreted-as').textContent;");
    CHECK(notice.rfind("Interpreted as soma OR norco", 0) == 0);
    CHECK(notice.find("lowercase \"or\" at column 6 was read as OR") != std::string::npos);
    // Snippets mark the words that made each match, the proximity's both words in one window.
    browser.go(base + "/?q=" + "soma%20w%2F10%20request");
    REQUIRE(browser.wait_until("document.querySelectorAll('#hits li.hit').length > 0"));
    CHECK(browser.script("return document.getElementById('interpreted-as').hidden;") == true);
    CHECK(browser.script(R"(return [...document.querySelectorAll('#hits li.hit .snippet')].every((p) => {
        const marked = [...p.querySelectorAll('mark')].map((m) => m.textContent.toLowerCase());
        return marked.some((w) => w.startsWith('request')) &&
               marked.some((w) => w === 'carisoprodol' || w === 'soma'); });)") == true);
    // The scope toggle: the whole letter finds more than one item's reading does.
    browser.go(base + "/?q=opioid%20therapy");
    REQUIRE(browser.wait_until("document.querySelectorAll('#hits li.hit').length > 0"));
    const auto total_of = [&](const std::string& scope) {
        return browser.script("const x = new XMLHttpRequest(); x.open('GET', '/api/search?q=opioid%20therapy&limit=0&scope=" +
                              scope + "', false); x.send(); return JSON.parse(x.responseText).total;")
            .get<int>();
    };
    const int by_item = total_of("determination"), by_letter = total_of("letter");
    CHECK(by_letter > by_item);
    CHECK(browser.wait_until("document.getElementById('results-heading').textContent.startsWith('" +
                             std::to_string(by_item) + " determination')"));
    browser.click("#scope option[value='letter']");
    REQUIRE(browser.wait_until("new URLSearchParams(location.search).get('scope') === 'letter'"));
    CHECK(browser.wait_until("document.getElementById('results-heading').textContent.startsWith('" +
                             std::to_string(by_letter) + " determination')"));

    // Browsing everything: the long drug list has a filter box, and the pager, sort and chart work.
    browser.go(base + "/");
    REQUIRE(browser.wait_until("document.querySelectorAll('#hits li.hit').length === 10"));
    REQUIRE(browser.script("return document.getElementById('facet-filter-drug') !== null;") == true);
    browser.type("#facet-filter-drug", "hydro");
    CHECK(browser.wait_until(R"([...document.querySelectorAll('#facet-list-drug li[data-value]')]
        .every((li) => li.hidden === !li.dataset.value.includes('hydro')))"));
    CHECK(browser.script("return document.querySelectorAll('#facet-list-drug li[data-value]:not([hidden])').length > 0;") ==
          true);
    browser.click("a[aria-label='Next page']");
    REQUIRE(browser.wait_until("new URLSearchParams(location.search).get('offset') === '10'"));
    CHECK(browser.wait_until("document.querySelector('.pager-status').textContent.startsWith('Page 2 of ')"));
    CHECK(browser.script("return document.getElementById('hits').start;") == 11);
    browser.click("#sort option[value='decided']");
    REQUIRE(browser.wait_until("new URLSearchParams(location.search).get('sort') === 'decided'"));
    CHECK(browser.script("return new URLSearchParams(location.search).has('offset');") == false);
    browser.click("#chart-by option[value='year']");
    REQUIRE(browser.wait_until("new URLSearchParams(location.search).get('chart') === 'year'"));
    CHECK(browser.wait_until("document.querySelector('#chart title').textContent === 'Overturn rate by year'"));
    browser.screenshot(shots / "browser-screenshot-browse.png");

    // Similar letters, from a result's link.
    browser.click("#hits li.hit .similar-link");
    REQUIRE(browser.wait_until("new URLSearchParams(location.search).has('similar')"));
    CHECK(browser.wait_until("document.querySelectorAll('#similar-hits li.hit').length > 0"));
    CHECK(browser.script("return document.getElementById('search-view').hidden;") == true);
    // Headed by case number and item, as an attorney knows the determination, never by its hex id.
    const std::string similar_heading = browser.script("return document.getElementById('similar-heading').textContent;");
    CHECK(similar_heading.find(", item ") != std::string::npos);
    CHECK_FALSE(std::regex_search(similar_heading, std::regex("[0-9a-f]{16}")));

    // A brand typed into the URL is none of the drug facet's values: its checkbox shows the count it gives.
    browser.go(base + "/?drug=Norco");
    REQUIRE(browser.wait_until("document.querySelectorAll('#hits li.hit').length > 0"));
    const std::string norco_count = browser.script(
        "return document.querySelector('#facet-groups input[data-facet=\"drug\"][value=\"Norco\"]:checked')"
        ".parentElement.querySelector('.facet-count').textContent;");
    CHECK(norco_count != "0");
    CHECK(browser.script("return document.getElementById('results-heading').textContent;").get<std::string>().rfind(
              norco_count + " determination", 0) == 0);

    // Typing a search and pressing Enter.
    browser.go(base + "/");
    REQUIRE(browser.wait_until("document.querySelectorAll('#hits li.hit').length > 0"));
    browser.type("#q", "soma\n");
    REQUIRE(browser.wait_until("new URLSearchParams(location.search).get('q') === 'soma'"));

    // Narrow screens: the same page at 400 px, with nothing wider than the window.
    browser.window_size(400, 1400);
    browser.go(base + "/?q=soma");
    REQUIRE(browser.wait_until("document.querySelectorAll('#hits li.hit').length > 0"));
    CHECK(browser.script("return document.documentElement.scrollWidth <= window.innerWidth;") == true);
    browser.screenshot(shots / "browser-screenshot-400.png");
    MESSAGE("screenshots in " << shots.string() << ": browser-screenshot.png, browser-screenshot-letter.png, "
                              "browser-screenshot-browse.png, browser-screenshot-400.png");
}
