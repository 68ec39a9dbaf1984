from django.db import migrations


def rebuild_search_keys(apps, schema_editor):
    # core/aliases.tsv now unifies more of each region's words and names (電晶體 and 晶体管,
    # 創辦人 and 创始人, 柯林頓 and 克林顿, 卡達 and 卡塔尔, MediaTek and 联发科) and keeps
    # 執行長照, 薪資安排 and 房仲介面臨 whole; keys drop the dot between the parts of a name
    # (伊隆·馬斯克 is 伊隆馬斯克): keys written afresh where they differ, as
    # `manage.py rebuild_search_keys` writes them.
    from claims.search import KeyedModels
    from claims.search import rebuild_search_keys as rebuild

    rebuild(KeyedModels.migrated(apps))


class Migration(migrations.Migration):
    dependencies = [("claims", "0037_search_keys_whole_latin_names")]

    # The old keys are not written back: `manage.py rebuild_search_keys` of the older code
    # does that.
    operations = [migrations.RunPython(rebuild_search_keys, migrations.RunPython.noop)]
