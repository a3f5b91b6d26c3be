"""No N+1: the query count of every list page is pinned (it does not grow with the rows)."""

import pytest

pytestmark = pytest.mark.django_db

# page: the most queries it may take, for committee staff (all rows) and a branch secretary
PAGES = {
    "/work/supervision/": 14,
    "/work/disconnect/": 19,  # fusion rows + two years of history, two queries each
    "/work/responsibility/": 14,
    "/work/reviews/": 14,
    "/work/leader/": 15,
    "/work/tasks/export/": 14,  # + the goal titles of all tasks, one query
    "/work/goals/export/": 13,
    "/work/supervision/export/": 16,  # + tasks awaiting verification, + assess source
    "/work/responsibility/export/": 13,
}


@pytest.mark.parametrize("username", ["dangwei", "shuji"])
@pytest.mark.parametrize("url", sorted(PAGES))
def test_list_page_query_count(client_as, django_assert_max_num_queries, url, username):
    client = client_as(username)
    client.get(url)
    with django_assert_max_num_queries(PAGES[url]):
        response = client.get(url)
    assert response.status_code == 200
